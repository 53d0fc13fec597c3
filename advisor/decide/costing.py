"""Three-point estimates and their roll-up: PERT per action, summed with a normal approximation."""

from __future__ import annotations

import math

from advisor.domain.plan import ThreePoint
from advisor.knowledge.models import Rates

Z90 = 1.2816
"""The standard normal's 90th percentile."""


def _round(value: float) -> float:
    return round(value, 1) if abs(value) < 1000 else float(round(value))


def pert(low: float, likely: float, high: float) -> ThreePoint:
    """A PERT (beta) estimate: mean (a+4m+b)/6 taken as P50, sd (b-a)/6, P90 = mean + 1.28 sd."""
    mean = (low + 4 * likely + high) / 6
    sd = (high - low) / 6
    return ThreePoint(low=low, likely=likely, high=high, p50=_round(mean), p90=_round(mean + Z90 * sd))


def scale_point(point: ThreePoint, factor: float) -> ThreePoint:
    """The same estimate in other units (person-weeks -> cost)."""
    return ThreePoint(
        low=_round(point.low * factor), likely=_round(point.likely * factor), high=_round(point.high * factor),
        p50=_round(point.p50 * factor), p90=_round(point.p90 * factor),
    )  # fmt: skip


def total(points: list[ThreePoint]) -> ThreePoint:
    """Sum of independent estimates: means add, variances add (P90 is not the sum of P90s)."""
    if not points:
        return ThreePoint(low=0, likely=0, high=0, p50=0, p90=0)
    mean = sum(p.p50 for p in points)
    sd = math.sqrt(sum(((p.high - p.low) / 6) ** 2 for p in points))
    return ThreePoint(
        low=_round(sum(p.low for p in points)), likely=_round(sum(p.likely for p in points)),
        high=_round(sum(p.high for p in points)), p50=_round(mean), p90=_round(mean + Z90 * sd),
    )  # fmt: skip


def blended_weekly_rate(roles: dict[str, float], rates: Rates) -> float:
    """Loaded cost of one person-week of this mix of roles."""
    return sum(share * rates.weekly_cost(role) for role, share in roles.items())


def run_rule_check(run_per_year: float, build_p50: float) -> tuple[float, str]:
    """Compare yearly run cost with the rule of thumb that operations cost 10-50% of the build per year."""
    if build_p50 <= 0:
        return 0.0, "No build cost, so no run-cost check."
    share = run_per_year / build_p50
    if share < 0.10:
        verdict = "below the 10-50% rule of thumb: the run budget is probably understated"
    elif share > 0.50:
        verdict = "above the 10-50% rule of thumb: check the infrastructure figures"
    else:
        verdict = "within the 10-50% rule of thumb"
    return round(share, 3), f"Yearly run cost is {share:.0%} of the P50 build cost, {verdict}."
