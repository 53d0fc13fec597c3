"""Scorers: small functions from (labels, prediction) to numbers, each unit-tested."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.domain.areas import AREA_IDS
from advisor.domain.report import Report
from advisor.evaluation.dataset import Sample

FLAGGED = ("high", "medium")


@dataclass
class AreaCounts:
    """Detection counts for one area (flagged = rated high or medium)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Share of flags that were labelled."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of labelled risks that were flagged."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    """Everything measured over a set of samples."""

    n: int = 0
    verdict_correct: int = 0
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    areas: dict[str, AreaCounts] = field(default_factory=lambda: {a: AreaCounts() for a in AREA_IDS})
    severity_agree: int = 0
    severity_total: int = 0
    must_not_flag_high: int = 0
    must_not_flag_any: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def verdict_accuracy(self) -> float:
        """Share of briefs with the labelled verdict."""
        return self.verdict_correct / self.n if self.n else 0.0

    def micro(self) -> AreaCounts:
        """Counts summed over areas."""
        total = AreaCounts()
        for c in self.areas.values():
            total.tp += c.tp
            total.fp += c.fp
            total.fn += c.fn
        return total

    @property
    def severity_agreement(self) -> float:
        """Among labelled risks that were flagged, the share rated at the labelled severity."""
        return self.severity_agree / self.severity_total if self.severity_total else 0.0


def score_sample(sample: Sample, report: Report, scores: Scores) -> None:
    """Add one prediction to the running scores."""
    scores.n += 1
    key = (sample.verdict, report.verdict)
    scores.confusion[key] = scores.confusion.get(key, 0) + 1
    if sample.verdict == report.verdict:
        scores.verdict_correct += 1
    else:
        scores.failures.append(f"{sample.id}: verdict {report.verdict}, labelled {sample.verdict}")
    predicted = {r.area: r.severity for r in report.risks}
    for area in AREA_IDS:
        flagged = predicted[area] in FLAGGED
        labelled = area in sample.risks
        counts = scores.areas[area]
        if flagged and labelled:
            counts.tp += 1
            scores.severity_total += 1
            scores.severity_agree += predicted[area] == sample.risks[area]
        elif flagged:
            counts.fp += 1
        elif labelled:
            counts.fn += 1
    for area in sample.must_not_flag:
        if predicted[area] == "high":
            scores.must_not_flag_high += 1
            scores.failures.append(f"{sample.id}: {area} rated high but labelled handled")
        if predicted[area] in FLAGGED:
            scores.must_not_flag_any += 1
