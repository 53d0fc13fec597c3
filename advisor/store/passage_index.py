"""The knowledge passages as one in-memory matrix: exact nearest passages with one matrix product.

The knowledge collection is fixed per knowledge version, so it is read from Chroma (the store of record)
once per process and searched here: one product for all of an assessment's queries instead of a Chroma
query (and a count) per area. On the 46 example and eval briefs the passages found are the ones Chroma
returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt


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
class PassageIndex:
    """Every passage of a collection with its unit-length vector, rows sorted by id."""

    ids: list[str]
    texts: list[str]
    areas: npt.NDArray[np.str_]
    kinds: npt.NDArray[np.str_]
    titles: list[str]
    sources: list[str]
    vectors: npt.NDArray[np.float32]

    @classmethod
    def from_chroma(cls, got: Any) -> PassageIndex:
        """From a collection's get(include=["embeddings", "documents", "metadatas"])."""
        order = sorted(range(len(got["ids"])), key=lambda i: got["ids"][i])
        metas = [got["metadatas"][i] or {} for i in order]
        if not order:  # an empty collection (no user documents yet)
            return cls([], [], np.array([], dtype=np.str_), np.array([], dtype=np.str_), [], [],
                       np.zeros((0, 384), dtype=np.float32))  # fmt: skip
        vectors = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(order), -1)[order]
        return cls(
            ids=[got["ids"][i] for i in order],
            texts=[got["documents"][i] for i in order],
            areas=np.array([str(m.get("area", "")) for m in metas]),
            kinds=np.array([str(m.get("kind", "")) for m in metas]),
            titles=[str(m.get("title", "")) for m in metas],
            sources=[str(m.get("source", "")) for m in metas],
            vectors=vectors,
        )

    def search(
        self, vectors: Sequence[npt.NDArray[np.float32]], areas: Sequence[str], k: int, kinds: Sequence[str]
    ) -> list[list[Passage]]:
        """The k nearest passages per query vector of the given kinds, within its area ("" for any)."""
        if not self.ids or not len(vectors):
            return [[] for _ in vectors]
        sims = np.stack(vectors).astype(np.float32) @ self.vectors.T
        kind_ok = np.isin(self.kinds, list(kinds))
        results = []
        for qi, area in enumerate(areas):
            allowed = kind_ok & (self.areas == area) if area else kind_ok
            rows = np.flatnonzero(allowed)
            # Nearest first; equal similarities in id order (rows are sorted by id), as a stable sort keeps them.
            best = rows[np.argsort(-sims[qi, rows], kind="stable")[:k]]
            # Scores as Chroma reports them: 1 - cosine distance, the distance computed in float32.
            distances = np.float32(1.0) - sims[qi, best]
            scores = [round(1.0 - float(d), 4) for d in distances]
            results.append([self._passage(int(r), score) for r, score in zip(best, scores, strict=True)])
        return results

    def _passage(self, row: int, score: float) -> Passage:
        return Passage(
            id=self.ids[row],
            text=self.texts[row],
            area=str(self.areas[row]),
            kind=str(self.kinds[row]),
            title=self.titles[row],
            source=self.sources[row],
            score=score,
        )
