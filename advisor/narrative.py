"""The offline engine's narrative: a short summary from templates, every figure read from the report."""

from __future__ import annotations

from advisor.domain.report import Report

_VERDICT_WORDS = {
    "not_ready": "Not ready for production",
    "ready_with_conditions": "Ready with conditions",
    "ready": "Ready for production",
}


def money(amount: float, currency: str = "USD") -> str:
    """Compact money: $1.2M, $340k."""
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, currency + " ")
    if abs(amount) >= 1e6:
        return f"{symbol}{amount / 1e6:.1f}M"
    if abs(amount) >= 1e3:
        return f"{symbol}{amount / 1e3:.0f}k"
    return f"{symbol}{amount:.0f}"


def months(count: float) -> str:
    """A duration in months as a person writes it: "1 month", "1.5 months", "14 months"."""
    return f"{count:g} month" + ("" if count == 1 else "s")


def summarise(report: Report) -> str:
    """Three or four sentences a sponsor can read first."""
    highs = [r.title for r in report.risks if r.severity == "high"]
    mediums = [r.title for r in report.risks if r.severity == "medium"]
    unknown = [r.title for r in report.risks if r.status == "unknown"]
    parts = [f"{_VERDICT_WORDS[report.verdict]}."]
    if highs:
        parts.append(f"Blockers: {', '.join(highs)}.")
    if mediums:
        parts.append(f"Conditions: {', '.join(mediums)}.")
    plan = report.plan
    if plan.actions:
        cost = plan.cost
        parts.append(
            f"The plan has {len(plan.actions)} actions: {money(cost.build.p50, cost.currency)} at P50 "
            f"({money(cost.build.p90, cost.currency)} at P90), about {plan.timeline.weeks_p50:.0f} weeks with "
            f"{plan.timeline.capacity_fte:g} people, then {money(cost.run_per_year, cost.currency)} a year to run."
        )
    if unknown:
        parts.append(f"Still unknown: {', '.join(unknown)} ({len(report.open_questions)} open questions).")
    return " ".join(parts)
