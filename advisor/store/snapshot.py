"""What the offline reader reads from the store, kept beside it so that a start need not open Chroma.

Importing chromadb and opening a PersistentClient cost about 0.7 s of a 2.3 s chat start, to read
collections that rarely change: the signal banks and the knowledge passages (fixed per knowledge
version) and the user's documents (changed only by `kb add`). After a start that opened Chroma and found
the store built, all three are saved here with a fingerprint of Chroma's own bookkeeping rows, read with
the standard library's sqlite3, and a digest of the record of user documents. A later start whose
fingerprint and digest match reads this file instead; any write to the store (a rebuild, a user
document), a store that is locked, truncated or not a database, or a file that cannot be read gives no
snapshot, and that start opens Chroma as before (and writes a fresh one). Chroma stays the store of
record: this file is derived, and `ensure_built` deletes it with the other derived files.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from advisor.atomic import write_bytes_atomically
from advisor.embeddings.minilm import EMBEDDING_MODEL_ID
from advisor.store.passage_index import PassageIndex
from advisor.store.signal_matrix import SignalMatrix

_FORMAT = 2
_DATABASE = "chroma.sqlite3"
# Every write Chroma makes to a collection adds to its queue and moves its segments' sequence numbers;
# a rebuild also replaces the collection ids. Rows read in a fixed order, so the hash is stable.
_FINGERPRINT_QUERIES = (
    "SELECT id, name FROM collections ORDER BY id",
    "SELECT * FROM collection_metadata ORDER BY 1, 2",
    "SELECT * FROM max_seq_id ORDER BY 1",
    "SELECT topic, COUNT(*), MAX(seq_id) FROM embeddings_queue GROUP BY topic ORDER BY topic",
    "SELECT segment_id, COUNT(*), MAX(seq_id) FROM embeddings GROUP BY segment_id ORDER BY segment_id",
)


@dataclass(frozen=True)
class StoreSnapshot:
    """The store's fixed collections as they were when its fingerprint was taken."""

    knowledge_version: str
    """The knowledge content hash the store was built from."""
    fingerprint: str
    """database_fingerprint() of the store when this was saved."""
    signals: SignalMatrix
    """The signal banks with their stored vectors."""
    passages: PassageIndex
    """The knowledge passages with their stored vectors."""
    user: PassageIndex
    """The user's document chunks with their stored vectors (often none)."""
    records_digest: str
    """user_records_digest() when this was saved: a document recorded since means Chroma has it and this lacks it."""


def snapshot_path(local_dir: Path) -> Path:
    """Where a store's snapshot lives: beside its database, a `*.npz` that a rebuild deletes."""
    return local_dir / "snapshot.npz"


def database_fingerprint(store_dir: Path) -> str | None:
    """A hash of the store database's size and bookkeeping rows; None when it cannot be read as one.

    Opened read-only with no wait: a store that another process is writing gives None, and the caller
    takes the path that waits for it.
    """
    db = store_dir / _DATABASE
    try:
        digest = hashlib.sha256(str(db.stat().st_size).encode())
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=0, isolation_level=None)
        try:
            for query in _FINGERPRINT_QUERIES:
                for row in con.execute(query):
                    digest.update(repr(row).encode())
        finally:
            con.close()
    except (sqlite3.Error, OSError, ValueError):
        return None
    return digest.hexdigest()


def save_snapshot(snapshot: StoreSnapshot, local_dir: Path) -> Path:
    """Write the snapshot atomically (a reader sees the old file or the new one, never half of one)."""
    signals = snapshot.signals
    meta = {
        "format": _FORMAT,
        "knowledge_version": snapshot.knowledge_version,
        "embedding_model": EMBEDDING_MODEL_ID,
        "fingerprint": snapshot.fingerprint,
        "records_digest": snapshot.records_digest,
        "signals": {"areas": signals.areas, "labels": signals.labels, "texts": signals.texts},
        "passages": _index_meta(snapshot.passages),
        "user": _index_meta(snapshot.user),
    }
    buffer = io.BytesIO()
    np.savez(
        buffer,
        meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
        signal_vectors=signals.vectors,
        passage_vectors=snapshot.passages.vectors,
        user_vectors=snapshot.user.vectors,
    )
    path = snapshot_path(local_dir)
    write_bytes_atomically(path, buffer.getvalue())
    return path


def _index_meta(index: PassageIndex) -> dict[str, list[str]]:
    return {
        "ids": index.ids,
        "texts": index.texts,
        "areas": index.areas.tolist(),
        "kinds": index.kinds.tolist(),
        "titles": index.titles,
        "sources": index.sources,
    }


def _index(meta: dict[str, list[str]], vectors: npt.NDArray[np.float32]) -> PassageIndex:
    return PassageIndex(
        ids=meta["ids"],
        texts=meta["texts"],
        areas=np.array(meta["areas"], dtype=np.str_),
        kinds=np.array(meta["kinds"], dtype=np.str_),
        titles=meta["titles"],
        sources=meta["sources"],
        vectors=vectors,  # saved 2-D, (0, 384) when there are none
    )


def load_snapshot(local_dir: Path, fingerprint: str, records_digest: str) -> StoreSnapshot | None:
    """The saved snapshot if it was taken of a store with this fingerprint and these records, else None.

    The knowledge version inside may be older than today's knowledge; the caller compares it and rebuilds,
    as it would with the version read from Chroma.
    """
    path = snapshot_path(local_dir)
    try:
        with np.load(path, allow_pickle=False) as data:
            meta: dict[str, Any] = json.loads(data["meta"].tobytes())
            signal_vectors = np.asarray(data["signal_vectors"], dtype=np.float32)
            passage_vectors = np.asarray(data["passage_vectors"], dtype=np.float32)
            user_vectors = np.asarray(data["user_vectors"], dtype=np.float32)
        if (
            meta.get("format") != _FORMAT
            or meta.get("fingerprint") != fingerprint
            or meta.get("records_digest") != records_digest
            or not isinstance(meta.get("knowledge_version"), str)
            or meta.get("embedding_model") != EMBEDDING_MODEL_ID
        ):
            return None
        sig = meta["signals"]
        signals = SignalMatrix(vectors=signal_vectors, areas=sig["areas"], labels=sig["labels"], texts=sig["texts"])
        passages, user = _index(meta["passages"], passage_vectors), _index(meta["user"], user_vectors)
        if any(
            len(rows) != len(vectors)
            for rows, vectors in (
                (signals.areas, signal_vectors),
                (passages.ids, passage_vectors),
                (user.ids, user_vectors),
            )
        ):
            return None  # fmt: skip
    except (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
        return None  # missing, truncated or from another version: the start opens Chroma instead
    return StoreSnapshot(meta["knowledge_version"], fingerprint, signals, passages, user, records_digest)
