"""Quality floors on the labelled briefs: CI fails when the offline engine gets worse than measured today.

Measured 2026-11-24: dev verdict 0.79 (19/24), held-out verdict 0.75 (12/16), must-not-flag rated high 0 (dev)
and 2 (held-out). Floors and ceilings sit one brief off those figures so float noise cannot flip them.
"""

from pathlib import Path

import pytest

from advisor.api import Advisor
from advisor.evaluation.dataset import Sample, load_dataset
from advisor.evaluation.runner import evaluate
from advisor.evaluation.scorers import Scores, score_sample

DATASET = Path(__file__).resolve().parents[1] / "evals" / "dataset"


@pytest.mark.parametrize(("split", "verdict_floor", "mnf_high_ceiling"), [("dev", 0.75, 1), ("heldout", 0.68, 3)])
def test_offline_engine_stays_above_measured_floors(
    advisor: Advisor, split: str, verdict_floor: float, mnf_high_ceiling: int
) -> None:
    samples = load_dataset(DATASET, (split,))
    assert len(samples) >= 15
    scores, _ = evaluate(advisor, samples)
    assert scores.verdict_accuracy >= verdict_floor, scores.failures
    assert scores.must_not_flag_high <= mnf_high_ceiling, scores.failures


def test_scorer_counts_flags_misses_and_violations(advisor: Advisor) -> None:
    report = advisor.assess("We have no monitoring at all and nobody owns the model after launch.")
    flagged = {r.area for r in report.risks if r.severity in ("high", "medium")}
    sample = Sample(id="s", split="t", text="", verdict="ready", risks={"data": "high"}, must_not_flag=sorted(flagged))
    scores = Scores()
    score_sample(sample, report, scores)
    assert scores.verdict_correct == (report.verdict == "ready")
    assert scores.areas["data"].fn == (0 if "data" in flagged else 1)
    assert scores.must_not_flag_any == len(flagged)
    assert sum(c.fp for c in scores.areas.values()) == len(flagged - {"data"})
