"""One portfolio row per assessed brief, and the readiness ranking."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from advisor.domain.report import Report
from advisor.domain.risk import SEVERITY_RANK, Verdict

VERDICT_ORDER: dict[str, int] = {"ready": 0, "ready_with_conditions": 1, "not_ready": 2}
TOP_RISKS = 3


class PortfolioRow(BaseModel):
    """What the portfolio shows about one project; small, so a batch of thousands stays flat in memory."""

    rank: int = Field(default=0, description="Position in the readiness ranking, 1 = most ready.")
    brief: str = Field(description="Name of the brief assessed (the file stem).")
    report: str = Field(description="Stem of the report files in the output folder (NAME.json, NAME.md, …).")
    source: str = Field(description="The brief file the report was made from.")
    verdict: Verdict = Field(description="not_ready, ready_with_conditions or ready.")
    highs: int = Field(description="Areas rated high (production blockers).")
    mediums: int = Field(description="Areas rated medium.")
    unknowns: int = Field(description="Areas the brief is silent on.")
    top_risks: list[str] = Field(description="Up to three flagged areas, most severe and most certain first.")
    severities: dict[str, str] = Field(description="Area id -> severity, or 'unknown' when not evidenced.")
    currency: str = Field(description="Currency of the money figures.")
    build_p50: float = Field(description="Build cost to production at P50.")
    build_p90: float = Field(description="Build cost to production at P90.")
    run_per_year: float = Field(description="Yearly run cost once in production.")
    value_per_year: float | None = Field(default=None, description="Value at stake per year, where the brief says.")
    payback_months: float | None = Field(default=None, description="Months to repay the P50 build cost from value.")
    timeline_weeks_p50: float = Field(description="Scheduled length of the remediation plan at P50, in weeks.")
    actions: int = Field(description="Number of remediation actions in the plan.")


def row_from_report(report: Report, report_name: str, source: str) -> PortfolioRow:
    """The portfolio's view of one report."""
    flagged = [r for r in report.risks if r.status == "evidenced" and r.severity in ("high", "medium")]
    flagged.sort(key=lambda r: (-SEVERITY_RANK[r.severity], -r.confidence))
    cost = report.plan.cost
    return PortfolioRow(
        brief=report.brief,
        report=report_name,
        source=source,
        verdict=report.verdict,
        highs=sum(r.severity == "high" for r in report.risks),
        mediums=sum(r.severity == "medium" for r in report.risks),
        unknowns=sum(r.status == "unknown" for r in report.risks),
        top_risks=[f"{r.title} ({r.severity})" for r in flagged[:TOP_RISKS]],
        severities={r.area: (r.severity if r.status == "evidenced" else "unknown") for r in report.risks},
        currency=cost.currency,
        build_p50=cost.build.p50,
        build_p90=cost.build.p90,
        run_per_year=cost.run_per_year,
        value_per_year=cost.value_per_year,
        payback_months=cost.payback_months,
        timeline_weeks_p50=report.plan.timeline.weeks_p50,
        actions=len(report.plan.actions),
    )


def rank_rows(rows: Iterable[PortfolioRow]) -> list[PortfolioRow]:
    """Most ready first: verdict, then fewer high risks, then lower P50 cost, then higher stated value.

    Names break the remaining ties so the order never depends on which thread finished first.
    """
    ordered = sorted(
        rows,
        key=lambda r: (VERDICT_ORDER[r.verdict], r.highs, r.build_p50, -(r.value_per_year or 0.0), r.brief, r.report),
    )
    return [row.model_copy(update={"rank": n}) for n, row in enumerate(ordered, 1)]
