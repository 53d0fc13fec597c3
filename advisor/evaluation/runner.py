"""Run the advisor over the labelled dataset and print per-area precision/recall and verdict accuracy.

Usage: python -m advisor.evaluation.runner [DATASET_DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from advisor.api import Advisor
from advisor.domain.areas import AREA_IDS
from advisor.evaluation.dataset import Sample, load_dataset
from advisor.evaluation.scorers import Scores, score_sample
from advisor.intake import brief_from_text

DEFAULT_DATASET = Path(__file__).resolve().parents[2] / "evals" / "dataset"


def evaluate(advisor: Advisor, samples: list[Sample]) -> tuple[Scores, float]:
    """Scores over the samples and the mean seconds per brief."""
    scores = Scores()
    started = time.perf_counter()
    for sample in samples:
        report = advisor.assess(brief_from_text(sample.text, name=sample.id))
        score_sample(sample, report, scores)
    return scores, (time.perf_counter() - started) / max(1, len(samples))


def summary(scores: Scores, seconds: float) -> dict[str, object]:
    """The figures as a JSON-ready dict."""
    micro = scores.micro()
    return {
        "briefs": scores.n,
        "verdict_accuracy": round(scores.verdict_accuracy, 3),
        "area_precision": round(micro.precision, 3),
        "area_recall": round(micro.recall, 3),
        "area_f1": round(micro.f1, 3),
        "severity_agreement": round(scores.severity_agreement, 3),
        "must_not_flag_rated_high": scores.must_not_flag_high,
        "must_not_flag_flagged": scores.must_not_flag_any,
        "seconds_per_brief": round(seconds, 4),
        "per_area": {
            a: {"precision": round(c.precision, 3), "recall": round(c.recall, 3), "f1": round(c.f1, 3)}
            for a, c in scores.areas.items()
        },
        "confusion": {f"{k[0]}->{k[1]}": v for k, v in sorted(scores.confusion.items())},
        "failures": scores.failures,
    }


def format_table(split: str, result: dict[str, object]) -> str:
    """A plain-text table for the terminal and the README."""
    per_area = result["per_area"]
    assert isinstance(per_area, dict)
    lines = [
        f"== {split}: {result['briefs']} briefs: verdict accuracy {result['verdict_accuracy']:.2f}, "
        f"area P {result['area_precision']:.2f} R {result['area_recall']:.2f} F1 {result['area_f1']:.2f}, "
        f"severity agreement {result['severity_agreement']:.2f}, must-not-flag rated high "
        f"{result['must_not_flag_rated_high']}",
        f"{'area':<15}{'precision':>10}{'recall':>8}{'f1':>7}",
    ]
    for area in AREA_IDS:
        c = per_area[area]
        lines.append(f"{area:<15}{c['precision']:>10.2f}{c['recall']:>8.2f}{c['f1']:>7.2f}")
    return "\n".join(lines)


def main() -> None:
    """Command-line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dataset", nargs="?", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--json", type=Path, default=None, help="Write the results here.")
    parser.add_argument("--failures", action="store_true", help="List every wrong verdict and violation.")
    args = parser.parse_args()
    advisor = Advisor()
    results = {}
    for split in ("dev", "heldout", "all"):
        samples = load_dataset(args.dataset, ("dev", "heldout") if split == "all" else (split,))
        if not samples:
            continue
        scores, seconds = evaluate(advisor, samples)
        results[split] = summary(scores, seconds)
        print(format_table(split, results[split]))
        if args.failures and split != "all":
            print("\n".join(f"  - {f}" for f in scores.failures))
        print()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
