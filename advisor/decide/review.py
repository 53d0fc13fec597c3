"""Consistency checks on a plan before it is reported: anything found becomes a warning in the report."""

from __future__ import annotations

from advisor.domain.plan import Plan
from advisor.domain.risk import AreaRisk


def review_plan(risks: list[AreaRisk], plan: Plan, source_text: str) -> list[str]:
    """Each high risk has an action, totals add up, the schedule respects dependencies, quotes are verbatim."""
    warnings: list[str] = []
    covered = {a.area for a in plan.actions}
    for risk in risks:
        if risk.severity == "high" and risk.area not in covered:
            warnings.append(f"High risk in {risk.area} has no remediation action in the catalog.")
    summed = sum(a.cost.p50 for a in plan.actions)
    if abs(summed - plan.cost.build.p50) > max(1.0, 0.001 * summed):
        warnings.append(f"Action costs add up to {summed:,.0f}, not the reported P50 total {plan.cost.build.p50:,.0f}.")
    ends = {a.id: a.end_week for a in plan.actions}
    for action in plan.actions:
        for dep in action.depends_on:
            if dep in ends and action.start_week + 1e-6 < ends[dep]:
                warnings.append(f"Action {action.id} starts before its dependency {dep} finishes.")
    normalised = " ".join(source_text.split())
    for risk in risks:
        for item in risk.evidence:
            if item.source.startswith("brief:") and " ".join(item.quote.split()) not in normalised:
                warnings.append(f'Quote not found verbatim in the brief ({risk.area}): "{item.quote[:60]}"')
    return warnings
