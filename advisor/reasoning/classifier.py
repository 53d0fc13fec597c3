"""A linear (softmax) classifier trained on the labelled example banks: deterministic, numpy only.

Nearest-example voting reads polarity at about chance on the banks, because the nearest example is usually
the deliberately contrasting sentence on the same topic. A linear model over the embedding plus the
lexical cue flags learns which directions and cues separate gap from mitigation across all areas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from advisor.text.cues import CueReading

CUE_FEATURES = ("negated_risk", "negated_control", "negation", "hedge", "plan", "blocker", "control")


def cue_vector(cues: CueReading) -> npt.NDArray[np.float32]:
    """The cue flags as 0/1 features."""
    return np.array([float(getattr(cues, name)) for name in CUE_FEATURES], dtype=np.float32)


def features(
    vectors: npt.NDArray[np.float32], cue_rows: npt.NDArray[np.float32], cue_weight: float
) -> npt.NDArray[np.float32]:
    """Embedding, weighted cue flags and a bias column."""
    bias = np.ones((vectors.shape[0], 1), dtype=np.float32)
    return np.hstack([vectors, cue_rows * cue_weight, bias]).astype(np.float32)


@dataclass(frozen=True)
class SoftmaxModel:
    """Weights of a multinomial logistic regression."""

    classes: tuple[str, ...]
    weights: npt.NDArray[np.float32]

    def probabilities(self, x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Class probabilities, one row per input row."""
        logits = x @ self.weights
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)


def train_softmax(
    x: npt.NDArray[np.float32],
    labels: list[str],
    classes: tuple[str, ...],
    l2: float = 1e-3,
    iterations: int = 400,
    learning_rate: float = 2.0,
) -> SoftmaxModel:
    """Full-batch gradient descent from zero weights: the same data always gives the same model."""
    index = {c: i for i, c in enumerate(classes)}
    y = np.zeros((x.shape[0], len(classes)), dtype=np.float32)
    y[np.arange(x.shape[0]), [index[label] for label in labels]] = 1.0
    # Balance classes so a bank with more gap examples does not tilt every sentence towards "gap".
    class_weight = y.shape[0] / (len(classes) * np.clip(y.sum(axis=0), 1, None))
    row_weight = (y * class_weight).sum(axis=1, keepdims=True)
    weights = np.zeros((x.shape[1], len(classes)), dtype=np.float32)
    model = SoftmaxModel(classes, weights)
    for _ in range(iterations):
        grad = x.T @ ((model.probabilities(x) - y) * row_weight) / x.shape[0] + l2 * weights
        weights -= learning_rate * grad.astype(np.float32)
        model = SoftmaxModel(classes, weights)
    return model
