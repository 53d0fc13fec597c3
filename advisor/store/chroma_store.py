"""A persistent Chroma store, rebuilt only when the knowledge content hash changes.

The user's own documents are also recorded as plain files beside the store (see `user_documents_dir`), so a
store that is lost or corrupt can be rebuilt from `knowledge/` plus those records with nothing lost.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import numpy.typing as npt

from advisor.atomic import write_bytes_atomically
from advisor.domain.areas import AREA_IDS
from advisor.embeddings.minilm import EMBEDDING_MODEL_ID, embed_documents
from advisor.knowledge.loader import KnowledgeBase
from advisor.store.chunking import Chunk, knowledge_chunks, signal_chunks, split_document
from advisor.store.passage_index import Passage, PassageIndex
from advisor.store.signal_matrix import SignalMatrix
from advisor.store.snapshot import StoreSnapshot, database_fingerprint, load_snapshot, save_snapshot

# Chroma would otherwise try to phone home; this tool must work with no network at all.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

KNOWLEDGE = "knowledge"
SIGNALS = "signals"
USER_DOCS = "user_documents"
_BATCH = 256
_SQLITE = "chroma.sqlite3"
_MANIFEST = "manifest.json"
# Seconds to wait between checks while another process holds the store's write lock: bounded, about 8 s in all.
LOCK_WAITS: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0)
_SEGMENT_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message says what to do."""


class KnowledgeStore:
    """Knowledge, signal banks and user documents in one Chroma PersistentClient folder.

    Made either with an open Chroma client, or, from a snapshot (`advisor.store.snapshot`), with an
    `opener` that opens Chroma the first time something needs it: a rebuild, a document added since, `kb`.
    """

    def __init__(
        self,
        client: Any | None,
        path: str,
        local_dir: Path | None = None,
        *,
        opener: Callable[[], Any] | None = None,
        snapshot: StoreSnapshot | None = None,
    ) -> None:
        if client is None and opener is None:
            raise ValueError("a KnowledgeStore needs a Chroma client or a way to open one")
        self._open_client = client
        self._opener = opener
        self._opening = threading.Lock()
        self._snapshot = snapshot
        self._ef: Any | None = None
        self.path = path
        """The store's folder, or a Chroma server's URL."""
        self.local_dir = local_dir or Path(path)
        """Folder on this machine for what derives from the store (trained model, records of user documents)."""
        self._signals: SignalMatrix | None = None
        self._passages: PassageIndex | None = None
        self._handles: dict[str, Any] = {}

    @property
    def _client(self) -> Any:
        """The Chroma client, opened now if this store started from a snapshot."""
        if self._open_client is None:
            with self._opening:  # two sessions' threads needing it at once open one client
                if self._open_client is None:
                    assert self._opener is not None
                    self._open_client = self._opener()
        return self._open_client

    @property
    def opened_chroma(self) -> bool:
        """Whether this store has a Chroma client open (False while it serves from its snapshot)."""
        return self._open_client is not None

    def _collection(self, name: str) -> Any:
        # Handles are cached: looking a collection up costs about a millisecond per call on the hot path.
        if name not in self._handles:
            # Always pass the embedding function explicitly: Chroma must never fall back to its downloading default.
            self._handles[name] = self._client.get_or_create_collection(
                name, embedding_function=self._chroma_ef(), metadata={"hnsw:space": "cosine"}
            )
        return self._handles[name]

    def _chroma_ef(self) -> Any:
        # Made with the first collection handle: its module imports chromadb, which a snapshot start skips.
        if self._ef is None:
            from advisor.store.chroma_embedding import MiniLMEmbeddingFunction

            self._ef = MiniLMEmbeddingFunction()
        return self._ef

    def knowledge_version(self) -> str | None:
        """The content hash the knowledge collections were built from, if built with this embedding model.

        A store embedded by another model (EMBEDDING_MODEL_ID changes with the model) counts as not built:
        its vectors and the polarity model trained on them mean nothing to this one, so every caller that
        compares versions rebuilds it, and the cached models keyed by this version are dropped with it.
        """
        if self._snapshot is not None:
            return self._snapshot.knowledge_version  # its model was checked when it was loaded
        meta = self._collection(KNOWLEDGE).metadata or {}
        version = meta.get("knowledge_version")
        if not version or meta.get("embedding_model") != EMBEDDING_MODEL_ID:
            return None
        return str(version)

    def ensure_built(self, kb: KnowledgeBase, force: bool = False) -> bool:
        """Build the knowledge and signal collections if missing or stale; True when it rebuilt."""
        if not force and self.knowledge_version() == kb.version:
            return False
        self._handles.clear()
        self._snapshot = None
        # Models derived from the old knowledge (saved beside the store), the snapshot too, are stale now.
        for derived in self.local_dir.glob("*.npz"):
            derived.unlink(missing_ok=True)
        for name in (KNOWLEDGE, SIGNALS):
            # Absent on first build; Chroma raises differing exception types across versions.
            with contextlib.suppress(Exception):
                self._client.delete_collection(name)
        meta = {"hnsw:space": "cosine", "knowledge_version": kb.version, "embedding_model": EMBEDDING_MODEL_ID}
        for name, chunks in ((KNOWLEDGE, knowledge_chunks(kb)), (SIGNALS, signal_chunks(kb))):
            collection = self._client.create_collection(name, embedding_function=self._chroma_ef(), metadata=meta)
            self._add(collection, chunks)
            self._handles[name] = collection
        self._signals = None
        self._passages = None
        return True

    def _add(self, collection: Any, chunks: list[Chunk]) -> None:
        for start in range(0, len(chunks), _BATCH):
            part = chunks[start : start + _BATCH]
            collection.upsert(
                ids=[c.id for c in part], documents=[c.text for c in part], metadatas=[c.metadata for c in part]
            )

    def signals(self) -> SignalMatrix:
        """The signal banks with their stored vectors (read once, then kept in memory)."""
        if self._signals is None and self._snapshot is not None:
            self._signals = self._snapshot.signals
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
        by_text = dict(zip(flat, embed_documents(flat), strict=True))
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
        return self._query(list(embed_documents(queries)), [area or ""] * len(queries), k, kinds)

    def passages(self) -> PassageIndex:
        """The knowledge collection as an in-memory matrix (read once: it is fixed per knowledge version)."""
        if self._passages is None and self._snapshot is not None:
            self._passages = self._snapshot.passages
        if self._passages is None:
            got = self._collection(KNOWLEDGE).get(include=["embeddings", "metadatas", "documents"])
            self._passages = PassageIndex.from_chroma(got)
        return self._passages

    def _query(self, vectors: list[Any], filters: list[str], k: int, kinds: tuple[str, ...]) -> list[list[Passage]]:
        # The built-in knowledge is searched in memory. The user's documents, which another process may add
        # to at any time, are searched in the snapshot while no document has been recorded since it was
        # taken (the same rows Chroma holds, searched exactly, as Chroma's index does at this size), else
        # queried from Chroma, and only when there are some.
        results = self.passages().search(vectors, filters, k, [*kinds, "user"])
        snapshot = self._serving_snapshot()
        if snapshot is not None:
            for found, more in zip(results, snapshot.user.search(vectors, filters, k, [*kinds, "user"]), strict=True):
                found.extend(more)
        else:
            self._query_chroma_user_documents(vectors, filters, k, kinds, results)
        return [sorted(r, key=lambda p: (-p.score, p.id))[:k] for r in results]

    def _query_chroma_user_documents(
        self, vectors: list[Any], filters: list[str], k: int, kinds: tuple[str, ...], into: list[list[Passage]]
    ) -> None:
        user = self._collection(USER_DOCS)
        count = user.count()
        if not count:
            return
        for qi, query_area in enumerate(filters):
            where: dict[str, Any] = {"kind": {"$in": [*kinds, "user"]}}
            if query_area:
                where = {"$and": [where, {"area": query_area}]}
            got = user.query(
                query_embeddings=[vectors[qi]],
                n_results=min(k, count),
                where=where,
                include=["documents", "metadatas", "distances"],
            )
            self._collect(got, into[qi])

    def _serving_snapshot(self) -> StoreSnapshot | None:
        # `kb add`, from any process, records each document beside the store as it adds it: while the
        # records are as they were when the snapshot was taken, so are the user's documents in Chroma.
        if self.opened_chroma or self._snapshot is None:
            return None
        return self._snapshot if user_records_digest(self.local_dir) == self._snapshot.records_digest else None

    def save_snapshot(self) -> bool:
        """Keep what the next start reads (see `advisor.store.snapshot`); True when saved.

        Only for a built store on this machine, with Chroma open. A snapshot that cannot be written costs the
        next start its speed, nothing else, so a write error is not raised.
        """
        if not self.opened_chroma or self.local_dir != Path(self.path):
            return False
        version = self.knowledge_version()
        if version is None:
            return False
        # The records first: a document recorded after this read only makes the snapshot look stale.
        records = user_records_digest(self.local_dir)
        user = PassageIndex.from_chroma(
            self._collection(USER_DOCS).get(include=["embeddings", "metadatas", "documents"])
        )
        fingerprint = database_fingerprint(self.local_dir)
        if fingerprint is None:
            return False
        snapshot = StoreSnapshot(version, fingerprint, self.signals(), self.passages(), user, records)
        try:
            save_snapshot(snapshot, self.local_dir)
        except OSError:
            return False
        return True

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

    def probe(self) -> None:
        """Read a little of every collection, raising whatever Chroma raises when the store is unreadable."""
        self.knowledge_version()
        for name in (KNOWLEDGE, SIGNALS, USER_DOCS):
            self._collection(name).count()

    def close(self) -> None:
        """Let go of the Chroma client, so the folder can be moved and a fresh client opened at its path."""
        self._handles.clear()
        if self._open_client is None:
            return  # never opened: nothing to let go of
        with contextlib.suppress(Exception):  # closing a client on a broken store may itself fail
            self._open_client.close()
        _forget_system(self.path)

    def add_document(self, name: str, text: str, record: bool = True) -> int:
        """Add a user document (untrusted: it is only ever retrieved and quoted); returns chunks added.

        With `record`, its text is also kept beside the store so a rebuild from scratch can re-add it.
        """
        pieces = split_document(text)
        if not pieces:
            return 0
        vectors = embed_documents(pieces)
        areas = self._nearest_area(vectors)
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        collection = self._collection(USER_DOCS)
        # Re-adding the same file replaces its chunks instead of duplicating them.
        collection.delete(where={"source": name})
        collection.upsert(
            ids=[f"user:{digest}:{i}" for i in range(len(pieces))],
            documents=pieces,
            embeddings=list(vectors),
            metadatas=[
                {"area": area, "kind": "user", "title": f"{Path(name).name} #{i + 1}", "source": name}
                for i, area in enumerate(areas)
            ],
        )
        if record:
            try:
                record_user_document(self.local_dir, name, text)
            except OSError as exc:
                raise StoreError(f"added {name} but could not record it for rebuilds: {exc}") from exc
        return len(pieces)

    def drop_recorded_user_documents(self) -> None:
        """Remove the chunks of every recorded user document, so they can be re-added from their records.

        Documents added before records were kept have no copy to come back from, so they are left alone.
        """
        sources = list(read_manifest(self.local_dir))
        if sources:
            self._collection(USER_DOCS).delete(where={"source": {"$in": sources}})

    def restore_user_documents(self) -> tuple[int, int]:
        """Re-add recorded user documents the store lacks: (how many re-added, how many records unreadable)."""
        records = read_manifest(self.local_dir)
        if not records:
            return 0, 0
        user = self._collection(USER_DOCS)
        present = {m.get("source") for m in user.get(include=["metadatas"])["metadatas"]} if user.count() else set()
        restored, unreadable = 0, 0
        for source, text in recorded_user_documents(self.local_dir):
            if source in present:
                continue
            if text is None:
                unreadable += 1
                continue
            self.add_document(source, text, record=False)
            restored += 1
        return restored, unreadable

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


def _forget_system(path: str) -> None:
    # Chroma keeps one system per path for the life of the process; a fresh client must not reuse a broken one.
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(path, None)
    SharedSystemClient._identifier_to_refcount.pop(path, None)


def user_documents_dir(store_path: Path) -> Path:
    """Where the texts of the user's added documents are recorded: a sibling of the store folder.

    A sibling rather than a subfolder, so that moving a broken store aside leaves the records in place, and
    named after the store so that two stores in one folder never share records.
    """
    return store_path.parent / f"{store_path.name}-user-documents"


def read_manifest(store_path: Path) -> dict[str, dict[str, str]]:
    """The recorded user documents: source path -> {sha256, added}; empty when none or unreadable."""
    try:
        data = json.loads((user_documents_dir(store_path) / _MANIFEST).read_text(encoding="utf-8"))
        docs = data.get("documents", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(k): v for k, v in docs.items() if isinstance(v, dict) and isinstance(v.get("sha256"), str)}


def user_records_digest(store_path: Path) -> str:
    """A digest of the recorded user documents (the manifest as read): it changes with every `kb add`."""
    manifest = json.dumps(read_manifest(store_path), sort_keys=True)
    return hashlib.sha256(manifest.encode()).hexdigest()


def record_user_document(store_path: Path, source: str, text: str) -> None:
    """Keep a copy of an added document's text and list it in the manifest (both written atomically)."""
    folder = user_documents_dir(store_path)
    digest = hashlib.sha256(text.encode()).hexdigest()
    body = folder / f"{digest}.md"
    if not body.exists():
        write_bytes_atomically(body, text.encode())
    docs = read_manifest(store_path)
    old = docs.get(source, {}).get("sha256")
    docs[source] = {"sha256": digest, "added": datetime.now(UTC).isoformat(timespec="seconds")}
    manifest = {"version": 1, "documents": dict(sorted(docs.items()))}
    write_bytes_atomically(folder / _MANIFEST, json.dumps(manifest, indent=2).encode())
    # The previous text of a re-added source is garbage once nothing refers to it.
    if old and old != digest and all(d["sha256"] != old for d in docs.values()):
        (folder / f"{old}.md").unlink(missing_ok=True)


def recorded_user_documents(store_path: Path) -> list[tuple[str, str | None]]:
    """(source, text) for every recorded document; text is None when its copy is missing or altered."""
    folder = user_documents_dir(store_path)
    out: list[tuple[str, str | None]] = []
    for source, entry in read_manifest(store_path).items():
        try:
            text: str | None = (folder / f"{entry['sha256']}.md").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
        if text is not None and hashlib.sha256(text.encode()).hexdigest() != entry["sha256"]:
            text = None
        out.append((source, text))
    return out


def store_folder_problem(path: Path) -> str | None:
    """Why the folder cannot be a usable store before Chroma even opens it, or None.

    A folder holding neither a Chroma database nor anything a store leaves behind is someone else's
    folder: that is refused outright, because recovery would move it aside (Chroma itself would quietly
    create a database inside it).
    """
    if not path.exists():
        return None
    if not path.is_dir():
        raise StoreError(f"the knowledge store path {path} is a file, not a folder; pass another --store")
    entries = list(path.iterdir())
    if not entries or (path / _SQLITE).is_file():
        return None
    if any(e.suffix == ".npz" or (e.is_dir() and _SEGMENT_DIR.match(e.name)) for e in entries):
        return f"{_SQLITE} is missing"
    raise StoreError(f"{path} holds other files and is not a knowledge store; pass another --store")


def wait_until_unlocked(path: Path, waits: tuple[float, ...] | None = None) -> None:
    """Wait, with a bounded backoff, while another process holds the store's database write lock.

    Chroma 1.5 opening a store blocks without limit while another process holds SQLite's write lock (it
    migrates at open), so the lock is tested here first with a short timeout instead.
    """
    db = path / _SQLITE
    if not db.is_file():
        return
    for pause in [*(LOCK_WAITS if waits is None else waits), None]:
        try:
            con = sqlite3.connect(f"file:{db}?mode=rw", uri=True, timeout=0.2, isolation_level=None)
            try:
                con.execute("BEGIN IMMEDIATE")
                con.execute("ROLLBACK")
            finally:
                con.close()
            return
        except sqlite3.OperationalError as exc:
            message = str(exc).lower()
            if "locked" not in message and "busy" not in message:
                return  # not a lock: corruption and the like are Chroma's to report, and ours to recover
            if pause is None:
                raise StoreError(
                    f"the knowledge store at {path} is locked by another process; try again when it has finished"
                ) from exc
            time.sleep(pause)
        except sqlite3.Error:
            return


def move_aside(path: Path) -> Path:
    """Rename a broken store to <path>.broken-<timestamp> (never deleted: it is the user's data)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    try:
        os.replace(path, aside)
    except OSError as exc:
        raise StoreError(f"the knowledge store at {path} is unreadable and cannot be moved aside: {exc}") from exc
    return aside


@dataclass(frozen=True)
class Recovery:
    """What open_or_recover did about a broken store."""

    reason: str
    moved_to: Path


def open_checked(path: Path) -> tuple[KnowledgeStore | None, str | None]:
    """Open the store and read a little of it: (store, None), or (None, why it is unreadable).

    Raises StoreError for what a rebuild cannot fix: a lock held by another process, or a foreign folder.
    """
    problem = store_folder_problem(path)
    if problem is not None:
        return None, problem
    fast = open_from_snapshot(path)
    if fast is not None:
        return fast, None
    wait_until_unlocked(path)
    store: KnowledgeStore | None = None
    try:
        store = open_store(path)
        store.probe()
    except Exception as exc:  # chromadb raises many types for a corrupt database; each means "unreadable"
        if store is not None:
            store.close()
        _forget_system(str(path))
        cause = exc.__cause__ if isinstance(exc, StoreError) and exc.__cause__ else exc
        lines = str(cause).strip().splitlines()
        return None, lines[0] if lines else type(cause).__name__
    return store, None


def recover_store(path: Path, reason: str, kb: KnowledgeBase) -> tuple[KnowledgeStore, Recovery, tuple[int, int]]:
    """Move a broken store aside, build a fresh one and re-add the recorded user documents."""
    aside = move_aside(path)
    store = open_store(path)
    store.ensure_built(kb, force=True)
    return store, Recovery(reason=reason, moved_to=aside), store.restore_user_documents()


def open_remote_store(url: str, local_dir: Path) -> KnowledgeStore:
    """A Chroma server (`chroma run`, or a deployed one) through HttpClient; derived files stay in local_dir."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise StoreError(f"ADVISOR_CHROMA_URL must look like http://host:port, not {url!r}")
    try:
        client = chromadb.HttpClient(
            host=parsed.hostname,
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=ChromaSettings(anonymized_telemetry=False),
        )
        client.heartbeat()
    except Exception as exc:  # connection refused, DNS, TLS: one message for all
        raise StoreError(f"cannot reach the Chroma server at {url}: {str(exc).splitlines()[0]}") from exc
    local_dir.mkdir(parents=True, exist_ok=True)
    return KnowledgeStore(client, url, local_dir)


def open_store(path: Path) -> KnowledgeStore:
    """Open (creating if needed) the persistent store at path."""
    return KnowledgeStore(_persistent_client(path), str(path))


def open_from_snapshot(path: Path) -> KnowledgeStore | None:
    """The store served from its snapshot, Chroma left closed until needed; None when there is no valid one.

    None, and the caller opens Chroma as usual, for a store whose database cannot be read right now
    (locked, damaged, missing) or has been written since the snapshot, or whose user documents have been
    recorded since.
    """
    fingerprint = database_fingerprint(path)
    snapshot = load_snapshot(path, fingerprint, user_records_digest(path)) if fingerprint is not None else None
    if snapshot is None:
        return None

    def opener() -> Any:
        wait_until_unlocked(path)
        return _persistent_client(path)

    return KnowledgeStore(None, str(path), opener=opener, snapshot=snapshot)


def _persistent_client(path: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    except Exception as exc:  # chromadb raises many types for an unreadable folder; one message for all
        raise StoreError(f"cannot open the knowledge store at {path}: {exc}") from exc
