"""Compare an evaluation result with a saved baseline: what improved and what regressed, per metric."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from advisor.domain.areas import AREA_IDS

HIGHER_IS_BETTER = (
    "verdict_accuracy", "area_precision", "area_recall", "area_f1", "severity_agreement", "key_action_coverage",
    "plan_consistency", "determinism",
)  # fmt: skip
LOWER_IS_BETTER = ("must_not_flag_rated_high", "must_not_flag_flagged", "plans_inconsistent", "seconds_per_brief")
TIME_TOLERANCE = 0.20
"""Timing moves within ±20% of the baseline count as unchanged: runs on one machine vary that much."""

Direction = Literal["improved", "regressed", "unchanged"]


class BaselineError(ValueError):
    """A baseline file that cannot be compared; str(error) is the one-line reason."""


@dataclass(frozen=True)
class MetricChange:
    """One metric of one split, before and after."""

    split: str
    """dev, heldout or all."""
    metric: str
    """Metric name; per-area F1 is 'f1.<area>'."""
    baseline: float
    """The baseline's value."""
    current: float
    """This run's value."""
    direction: Direction
    """improved, regressed or unchanged."""


def load_baseline(path: Path) -> dict[str, dict[str, Any]]:
    """The per-split figures of a saved result (from `advisor eval --json` or the runner's --json)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BaselineError(f"{path}: no such baseline file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read it ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from exc
    splits = data.get("splits", data) if isinstance(data, dict) else None
    if not isinstance(splits, dict) or not any(
        isinstance(v, dict) and "verdict_accuracy" in v for v in splits.values()
    ):
        raise BaselineError(f"{path}: not an evaluation result (no split with a verdict_accuracy)")
    return {k: v for k, v in splits.items() if isinstance(v, dict)}


def _metrics(figures: dict[str, Any]) -> dict[str, float]:
    found = {m: float(figures[m]) for m in (*HIGHER_IS_BETTER, *LOWER_IS_BETTER) if figures.get(m) is not None}
    per_area = figures.get("per_area") or {}
    for area in AREA_IDS:
        if isinstance(per_area.get(area), dict) and per_area[area].get("f1") is not None:
            found[f"f1.{area}"] = float(per_area[area]["f1"])
    return found


def _direction(metric: str, baseline: float, current: float) -> Direction:
    if metric == "seconds_per_brief":
        if abs(current - baseline) <= TIME_TOLERANCE * baseline:
            return "unchanged"
        return "improved" if current < baseline else "regressed"
    if abs(current - baseline) < 1e-9:
        return "unchanged"
    better = current < baseline if metric in LOWER_IS_BETTER else current > baseline
    return "improved" if better else "regressed"


def compare(baseline: dict[str, dict[str, Any]], current: dict[str, dict[str, Any]]) -> list[MetricChange]:
    """Every metric present in both, for every split present in both."""
    changes = []
    for split, figures in current.items():
        if split not in baseline:
            continue
        before, after = _metrics(baseline[split]), _metrics(figures)
        for metric, value in after.items():
            if metric in before:
                direction = _direction(metric, before[metric], value)
                changes.append(MetricChange(split, metric, before[metric], value, direction))
    return changes
