"""A persistent Chroma store, rebuilt only when the knowledge content hash changes."""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from advisor.domain.areas import AREA_IDS
from advisor.embeddings.minilm import EMBEDDING_MODEL_ID, MiniLMEmbeddingFunction
from advisor.knowledge.loader import KnowledgeBase
from advisor.store.chunking import Chunk, knowledge_chunks, signal_chunks, split_document

# Chroma would otherwise try to phone home; this tool must work with no network at all.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

KNOWLEDGE = "knowledge"
SIGNALS = "signals"
USER_DOCS = "user_documents"
_BATCH = 256


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message says what to do."""


@dataclass(frozen=True)
class Passage:
    """A retrieved knowledge passage."""

    id: str
    text: str
    area: str
    kind: str
    title: str
    source: str
    score: float


@dataclass(frozen=True)
class SignalMatrix:
    """All labelled example sentences as one matrix, for fast nearest-neighbour scoring."""

    vectors: npt.NDArray[np.float32]
    areas: list[str]
    labels: list[str]
    texts: list[str]


class KnowledgeStore:
    """Knowledge, signal banks and user documents in one Chroma PersistentClient folder."""

    def __init__(self, client: Any, embedding_function: MiniLMEmbeddingFunction, path: str) -> None:
        self._client = client
        self._ef = embedding_function
        self.path = path
        self._signals: SignalMatrix | None = None
        self._handles: dict[str, Any] = {}

    def _collection(self, name: str) -> Any:
        # Handles are cached: looking a collection up costs about a millisecond per call on the hot path.
        if name not in self._handles:
            # Always pass the embedding function explicitly: Chroma must never fall back to its downloading default.
            self._handles[name] = self._client.get_or_create_collection(
                name, embedding_function=self._ef, metadata={"hnsw:space": "cosine"}
            )
        return self._handles[name]

    def knowledge_version(self) -> str | None:
        """The content hash the knowledge collections were built from, if built."""
        meta = self._collection(KNOWLEDGE).metadata or {}
        version = meta.get("knowledge_version")
        return str(version) if version else None

    def ensure_built(self, kb: KnowledgeBase, force: bool = False) -> bool:
        """Build the knowledge and signal collections if missing or stale; True when it rebuilt."""
        if not force and self.knowledge_version() == kb.version:
            return False
        self._handles.clear()
        # Models derived from the old knowledge (saved beside the store) are stale now.
        for derived in Path(self.path).glob("*.npz"):
            derived.unlink(missing_ok=True)
        for name in (KNOWLEDGE, SIGNALS):
            # Absent on first build; Chroma raises differing exception types across versions.
            with contextlib.suppress(Exception):
                self._client.delete_collection(name)
        meta = {"hnsw:space": "cosine", "knowledge_version": kb.version, "embedding_model": EMBEDDING_MODEL_ID}
        for name, chunks in ((KNOWLEDGE, knowledge_chunks(kb)), (SIGNALS, signal_chunks(kb))):
            collection = self._client.create_collection(name, embedding_function=self._ef, metadata=meta)
            self._add(collection, chunks)
            self._handles[name] = collection
        self._signals = None
        return True

    def _add(self, collection: Any, chunks: list[Chunk]) -> None:
        for start in range(0, len(chunks), _BATCH):
            part = chunks[start : start + _BATCH]
            collection.upsert(
                ids=[c.id for c in part], documents=[c.text for c in part], metadatas=[c.metadata for c in part]
            )

    def signals(self) -> SignalMatrix:
        """The signal banks with their stored vectors (read once, then kept in memory)."""
        if self._signals is None:
            got = self._collection(SIGNALS).get(include=["embeddings", "metadatas", "documents"])
            # Sort by id so the matrix, and everything scored from it, is the same on every run.
            order = sorted(range(len(got["ids"])), key=lambda i: got["ids"][i])
            if not order:
                raise StoreError(f"the knowledge store at {self.path} has no signal banks; run `advisor kb rebuild`")
            vectors = np.asarray(got["embeddings"], dtype=np.float32)[order]
            metas = [got["metadatas"][i] for i in order]
            self._signals = SignalMatrix(
                vectors=vectors,
                areas=[str(m["area"]) for m in metas],
                labels=[str(m["label"]) for m in metas],
                texts=[got["documents"][i] for i in order],
            )
        return self._signals

    def search(
        self, query: str, k: int = 5, area: str | None = None, kinds: tuple[str, ...] = ("card",)
    ) -> list[Passage]:
        """Passages nearest the query from the knowledge and the user's documents, best first."""
        return self.search_many([query], k=k, area=area, kinds=kinds)[0]

    def search_groups(
        self, groups: list[list[str]], areas: list[str], k: int = 5, kinds: tuple[str, ...] = ("card",)
    ) -> list[list[Passage]]:
        """One search per group of sentences (their mean vector), each within its own area.

        The sentences were usually embedded moments ago by the reasoner, so their vectors come from the
        embedder's cache and retrieval costs only the Chroma queries.
        """
        flat = list(dict.fromkeys(text for group in groups for text in group))
        if not flat:
            return [[] for _ in groups]
        by_text = dict(zip(flat, np.asarray(self._ef(flat), dtype=np.float32), strict=True))
        vectors = []
        for group in groups:
            mean = np.mean([by_text[t] for t in group], axis=0)
            vectors.append(mean / max(float(np.linalg.norm(mean)), 1e-12))
        return self._query(vectors, areas, k, kinds)

    def search_many(
        self,
        queries: list[str],
        k: int = 5,
        area: str | None = None,
        kinds: tuple[str, ...] = ("card",),
    ) -> list[list[Passage]]:
        """search() for several queries with one embedding pass."""
        if not queries:
            return []
        return self._query(list(self._ef(queries)), [area or ""] * len(queries), k, kinds)

    def _query(self, vectors: list[Any], filters: list[str], k: int, kinds: tuple[str, ...]) -> list[list[Passage]]:
        results: list[list[Passage]] = [[] for _ in vectors]
        for name in (KNOWLEDGE, USER_DOCS):
            collection = self._collection(name)
            count = collection.count()
            if count == 0:
                continue
            for qi, query_area in enumerate(filters):
                where: dict[str, Any] = {"kind": {"$in": [*kinds, "user"]}}
                if query_area:
                    where = {"$and": [where, {"area": query_area}]}
                got = collection.query(
                    query_embeddings=[vectors[qi]],
                    n_results=min(k, count),
                    where=where,
                    include=["documents", "metadatas", "distances"],
                )
                self._collect(got, results[qi])
        return [sorted(r, key=lambda p: (-p.score, p.id))[:k] for r in results]

    @staticmethod
    def _collect(got: Any, into: list[Passage]) -> None:
        for qi in range(len(got["ids"])):
            for pid, doc, meta, dist in zip(
                got["ids"][qi], got["documents"][qi], got["metadatas"][qi], got["distances"][qi], strict=True
            ):
                into.append(
                    Passage(
                        id=pid,
                        text=doc,
                        area=str(meta.get("area", "")),
                        kind=str(meta.get("kind", "")),
                        title=str(meta.get("title", "")),
                        source=str(meta.get("source", "")),
                        score=round(1.0 - float(dist), 4),
                    )
                )

    def add_document(self, name: str, text: str) -> int:
        """Add a user document (untrusted: it is only ever retrieved and quoted); returns chunks added."""
        pieces = split_document(text)
        if not pieces:
            return 0
        vectors = self._ef(pieces)
        areas = self._nearest_area(np.asarray(vectors, dtype=np.float32))
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        collection = self._collection(USER_DOCS)
        # Re-adding the same file replaces its chunks instead of duplicating them.
        collection.delete(where={"source": name})
        collection.upsert(
            ids=[f"user:{digest}:{i}" for i in range(len(pieces))],
            documents=pieces,
            embeddings=vectors,
            metadatas=[
                {"area": area, "kind": "user", "title": f"{Path(name).name} #{i + 1}", "source": name}
                for i, area in enumerate(areas)
            ],
        )
        return len(pieces)

    def _nearest_area(self, vectors: npt.NDArray[np.float32]) -> list[str]:
        """Tag each user chunk with the area whose signal centroid it is closest to."""
        signals = self.signals()
        centroids = []
        for area in AREA_IDS:
            rows = signals.vectors[[i for i, a in enumerate(signals.areas) if a == area]]
            centroid = rows.mean(axis=0)
            centroids.append(centroid / np.linalg.norm(centroid))
        sims = vectors @ np.stack(centroids).T
        return [AREA_IDS[int(i)] for i in sims.argmax(axis=1)]

    def stats(self) -> dict[str, Any]:
        """Counts per collection and the knowledge version."""
        user = self._collection(USER_DOCS)
        sources = {m.get("source") for m in user.get(include=["metadatas"])["metadatas"]} if user.count() else set()
        return {
            "path": self.path,
            "knowledge_version": self.knowledge_version(),
            "embedding_model": EMBEDDING_MODEL_ID,
            "knowledge_chunks": self._collection(KNOWLEDGE).count(),
            "signal_sentences": self._collection(SIGNALS).count(),
            "user_documents": len(sources),
            "user_chunks": user.count(),
        }


def open_store(path: Path) -> KnowledgeStore:
    """Open (creating if needed) the persistent store at path."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    try:
        path.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    except Exception as exc:  # chromadb raises many types for an unreadable folder; one message for all
        raise StoreError(f"cannot open the knowledge store at {path}: {exc}") from exc
    return KnowledgeStore(client, MiniLMEmbeddingFunction(), str(path))
