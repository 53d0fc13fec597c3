"""Scorers: small functions from (labels, prediction) to numbers, each unit-tested."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from advisor.domain.areas import AREA_IDS, AREA_TITLES
from advisor.domain.plan import Action
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
    themes_total: int = 0
    """Labelled remediation themes seen."""
    themes_covered: int = 0
    """Themes some plan action covers (see covering_action)."""
    plans_checked: int = 0
    """Plans checked for consistency."""
    plans_consistent: int = 0
    """Plans with no consistency problem."""
    determinism_checked: int = 0
    """Briefs assessed twice to compare the JSON."""
    deterministic: int = 0
    """Of those, briefs whose two reports were identical."""
    seconds: list[float] = field(default_factory=list)
    """Wall time of each brief's first assessment."""

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
    def key_action_coverage(self) -> float:
        """Share of labelled remediation themes some plan action covers (1.0 when none were labelled)."""
        return self.themes_covered / self.themes_total if self.themes_total else 1.0

    @property
    def plan_consistency(self) -> float:
        """Share of plans with no consistency problem."""
        return self.plans_consistent / self.plans_checked if self.plans_checked else 1.0

    @property
    def determinism(self) -> float | None:
        """Share of briefs whose second assessment gave identical JSON; None when not checked."""
        return self.deterministic / self.determinism_checked if self.determinism_checked else None

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


# ---------------------------------------------------------------- key-action coverage
# A labelled theme ("secrets management") names work in the team's words; a plan action names it in the
# catalog's ("Move credentials out of code into a secrets manager"). The rule is lexical so a reader can
# check every decision by eye: both sides are lower-cased, split into words, stripped of stop words and
# crudely stemmed; an action covers a theme when it shares at least two of the theme's stems (all of them
# for a one-word theme) and at least one shared stem is not a word every plan uses ("data", "model",
# "production"). The action side is its title, its why and its area. Embedding similarity (MiniLM) was
# tried and rejected: on the dev split it ranked unrelated pairs ("launch date re-baseline" / "test for bias
# before launch") above related ones ("DPIA completion" / "complete a privacy impact assessment (DPIA)").

_STOP_WORDS = frozenset(
    "a an and the of with for to in on at by across all after before into its their our from or as is be this "
    "that per new each every agree agreed".split()
)
GENERIC_WORDS = frozenset("data model production system systems ml ai plan project team process".split())
"""Words too common in plans to show, on their own, which work a theme means."""
_SUFFIXES = (
    "isations", "izations", "isation", "ization", "ations", "ation", "ments", "ment", "ating", "ated", "ates",
    "ate", "ings", "ing", "ions", "ion", "ers", "er", "ies", "ied", "ed", "es", "s", "e",
)  # fmt: skip
THEME_MIN_SHARED = 2
"""Stems an action must share with a theme (or all of them, for a one-word theme)."""


def _stem(word: str) -> str:
    if len(word) <= 4:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


_GENERIC_STEMS = frozenset(_stem(w) for w in GENERIC_WORDS)


def theme_stems(text: str) -> frozenset[str]:
    """Content stems of a phrase: lower case, no stop words, crude suffix stripping."""
    return frozenset(_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP_WORDS and len(w) > 1)


def _action_stems(action: Action) -> frozenset[str]:
    return theme_stems(f"{action.title} {action.why} {action.area} {AREA_TITLES[action.area]}")


def covering_action(theme: str, actions: Sequence[Action]) -> Action | None:
    """The plan action sharing the most stems with the theme, if it shares enough to cover it (first wins ties)."""
    stems = theme_stems(theme)
    need = min(THEME_MIN_SHARED, len(stems))
    best: Action | None = None
    best_shared = 0
    for action in actions:
        shared = stems & _action_stems(action)
        if len(shared) > best_shared and (shared - _GENERIC_STEMS or stems <= _GENERIC_STEMS):
            best, best_shared = action, len(shared)
    return best if need and best_shared >= need else None


def theme_coverage(themes: Sequence[str], actions: Sequence[Action]) -> dict[str, str | None]:
    """Each labelled theme -> the id of an action that covers it, or None."""
    return {theme: (a.id if (a := covering_action(theme, actions)) else None) for theme in themes}


# ---------------------------------------------------------------- plan consistency, determinism, time


def plan_problems(report: Report) -> list[str]:
    """What is inconsistent in a plan: a high risk with no action, totals that do not add up, or an action
    scheduled to start before one of its dependencies ends. Empty when the plan is consistent."""
    plan = report.plan
    problems: list[str] = []
    covered = {a.area for a in plan.actions}
    problems += [
        f"high risk in {r.area} has no action" for r in report.risks if r.severity == "high" and r.area not in covered
    ]
    summed = sum(a.cost.p50 for a in plan.actions)
    # Per-action figures are rounded to whole units, so allow a unit or 0.1% of drift.
    if abs(summed - plan.cost.build.p50) > max(1.0, 0.001 * abs(summed)):
        problems.append(f"action P50 costs sum to {summed:,.0f}, total says {plan.cost.build.p50:,.0f}")
    ends = {a.id: a.end_week for a in plan.actions}
    problems += [
        f"{a.id} starts at week {a.start_week:g}, before {dep} ends at week {ends[dep]:g}"
        for a in plan.actions
        for dep in a.depends_on
        if dep in ends and a.start_week + 1e-6 < ends[dep]
    ]
    return problems


def identical_reports(first: Report, second: Report) -> bool:
    """Whether two assessments of one brief serialise to the same JSON, byte for byte."""
    return first.model_dump_json() == second.model_dump_json()


def timing_summary(seconds: Sequence[float]) -> dict[str, float]:
    """Mean, median, 95th percentile (nearest rank) and maximum seconds per brief."""
    if not seconds:
        return {"mean": 0.0, "p50": 0.0, "p95": 0.0, "max": 0.0}
    ordered = sorted(seconds)

    def rank(q: float) -> float:
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    return {"mean": sum(ordered) / len(ordered), "p50": rank(0.5), "p95": rank(0.95), "max": ordered[-1]}


def score_plan(sample: Sample, report: Report, scores: Scores) -> None:
    """Add key-action coverage and plan consistency of one prediction to the running scores."""
    for theme, action_id in theme_coverage(sample.themes, report.plan.actions).items():
        scores.themes_total += 1
        if action_id is None:
            scores.failures.append(f"{sample.id}: theme not covered by the plan: {theme}")
        else:
            scores.themes_covered += 1
    problems = plan_problems(report)
    scores.plans_checked += 1
    scores.plans_consistent += not problems
    scores.failures += [f"{sample.id}: plan: {p}" for p in problems]


def score_run(sample: Sample, seconds: float, deterministic: bool | None, scores: Scores) -> None:
    """Add one brief's time and (when checked) whether a second run gave identical JSON."""
    scores.seconds.append(seconds)
    if deterministic is None:
        return
    scores.determinism_checked += 1
    scores.deterministic += deterministic
    if not deterministic:
        scores.failures.append(f"{sample.id}: two runs gave different JSON")
