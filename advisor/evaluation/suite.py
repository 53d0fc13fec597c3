"""The full evaluation: each brief assessed once (twice to check determinism), scored per split."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.api import Advisor
from advisor.domain.report import Report
from advisor.evaluation.dataset import Sample, load_dataset
from advisor.evaluation.runner import summary
from advisor.evaluation.scorers import (
    Scores,
    identical_reports,
    plan_problems,
    score_plan,
    score_run,
    score_sample,
    theme_coverage,
    timing_summary,
)
from advisor.intake import brief_from_text
from advisor.version import __version__

RESULT_SCHEMA = "1.0"
SPLITS = ("dev", "heldout")
SPLIT_CHOICES = ("dev", "heldout", "all")
WARM_UP = "We built a churn model in notebooks. There is no monitoring yet and nobody owns it after launch."


@dataclass(frozen=True)
class BriefResult:
    """One labelled brief and what the advisor made of it."""

    sample: Sample
    """The labelled brief."""
    report: Report
    """The first assessment."""
    seconds: float
    """Wall time of the first assessment."""
    deterministic: bool | None
    """Whether a second assessment gave identical JSON; None when not checked."""


def assess_samples(
    advisor: Advisor,
    samples: Sequence[Sample],
    check_determinism: bool = True,
    on_done: Callable[[BriefResult], None] | None = None,
) -> list[BriefResult]:
    """Assess every sample once, timed; a second time when checking determinism."""
    results: list[BriefResult] = []
    if samples:
        # The first assessment in a process pays one-off costs (model session, collection handles); keep
        # them out of the per-brief times.
        advisor.assess(WARM_UP, name="warm-up")
    for sample in samples:
        brief = brief_from_text(sample.text, name=sample.id)
        started = time.perf_counter()
        report = advisor.assess(brief)
        seconds = time.perf_counter() - started
        deterministic = identical_reports(report, advisor.assess(brief)) if check_determinism else None
        results.append(BriefResult(sample, report, seconds, deterministic))
        if on_done is not None:
            on_done(results[-1])
    return results


def score_results(results: Sequence[BriefResult]) -> Scores:
    """All scorers over a set of results."""
    scores = Scores()
    for result in results:
        score_sample(result.sample, result.report, scores)
        score_plan(result.sample, result.report, scores)
        score_run(result.sample, result.seconds, result.deterministic, scores)
    return scores


def split_summary(scores: Scores) -> dict[str, Any]:
    """The runner's figures plus key-action coverage, plan consistency, determinism and timing."""
    timing = timing_summary(scores.seconds)
    figures = summary(scores, timing["mean"])
    failures = figures.pop("failures")
    determinism = scores.determinism
    figures |= {
        "key_action_coverage": round(scores.key_action_coverage, 3),
        "themes_covered": scores.themes_covered,
        "themes_total": scores.themes_total,
        "plan_consistency": round(scores.plan_consistency, 3),
        "plans_inconsistent": scores.plans_checked - scores.plans_consistent,
        "determinism": None if determinism is None else round(determinism, 3),
        "seconds_p95": round(timing["p95"], 4),
        "failures": failures,
    }
    return figures


def _brief_record(result: BriefResult) -> dict[str, Any]:
    coverage = theme_coverage(result.sample.themes, result.report.plan.actions)
    return {
        "id": result.sample.id,
        "split": result.sample.split,
        "labelled_verdict": result.sample.verdict,
        "verdict": result.report.verdict,
        "flagged": {r.area: r.severity for r in result.report.risks if r.severity in ("high", "medium")},
        "labelled": dict(result.sample.risks),
        "uncovered_themes": [theme for theme, action in coverage.items() if action is None],
        "plan_problems": plan_problems(result.report),
        "deterministic": result.deterministic,
        "seconds": round(result.seconds, 4),
    }


def run_suite(
    advisor: Advisor,
    dataset: Path,
    split: str = "all",
    check_determinism: bool = True,
    on_done: Callable[[BriefResult], None] | None = None,
    samples: Sequence[Sample] | None = None,
) -> dict[str, Any]:
    """Evaluate one split (or both and their union, for 'all') into a JSON-ready result."""
    wanted = SPLITS if split == "all" else (split,)
    if samples is None:
        samples = load_dataset(dataset, wanted)
    results = assess_samples(advisor, samples, check_determinism, on_done)
    splits: dict[str, Any] = {}
    for name in wanted:
        part = [r for r in results if r.sample.split == name]
        if part:
            splits[name] = split_summary(score_results(part))
    if split == "all" and len(splits) > 1:
        splits["all"] = split_summary(score_results(results))
    provenance = results[0].report.provenance if results else None
    return {
        "schema_version": RESULT_SCHEMA,
        "advisor_version": __version__,
        "engine": provenance.engine if provenance else None,
        "model": provenance.model if provenance else None,
        "knowledge_version": provenance.knowledge_version if provenance else None,
        "dataset": str(dataset),
        "splits": splits,
        "briefs": [_brief_record(r) for r in results],
    }
