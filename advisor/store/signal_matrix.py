"""The labelled example sentences as one matrix."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class SignalMatrix:
    """All labelled example sentences as one matrix, for fast nearest-neighbour scoring."""

    vectors: npt.NDArray[np.float32]
    """One unit-length row per sentence, rows sorted by the sentence's id in the store."""
    areas: list[str]
    """The risk area of each row."""
    labels: list[str]
    """The label of each row: which of the signal bank's lists (SIGNAL_LABELS) the sentence came from."""
    texts: list[str]
    """The sentence of each row."""
