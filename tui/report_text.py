"""The plan screen's sections as Markdown, laid out for a terminal (narrow tables, no wide columns)."""

from __future__ import annotations

from advisor.domain.report import Report
from advisor.narrative import money, months

VERDICT_LABEL = {
    "not_ready": "NOT READY for production",
    "ready_with_conditions": "READY WITH CONDITIONS",
    "ready": "READY for production",
}


def verdict_line(report: Report) -> str:
    """The verdict with the plan's totals, in one line."""
    cost = report.plan.cost
    build = f"build {money(cost.build.p50, cost.currency)}–{money(cost.build.p90, cost.currency)} (P50–P90)"
    run = f"run {money(cost.run_per_year, cost.currency)}/yr"
    return f"{VERDICT_LABEL.get(report.verdict, report.verdict)} · {build} · {run}"


def totals_markdown(report: Report) -> str:
    """Effort, build cost, yearly run cost, schedule and payback, P50 and P90."""
    plan, cur = report.plan, report.plan.cost.currency
    cost, tl = plan.cost, plan.timeline
    if not plan.actions:
        return "No remediation actions: nothing evidenced needs work."
    lines = [
        f"- **Build cost** {money(cost.build.p50, cur)} at P50, {money(cost.build.p90, cur)} at P90",
        f"- **Effort** {cost.effort_weeks.p50:g} person-weeks at P50, {cost.effort_weeks.p90:g} at P90",
        f"- **Schedule** {tl.weeks_p50:g} weeks at P50, {tl.weeks_p90:g} at P90, with {tl.capacity_fte:g} people",
        f"- **Yearly run cost** {money(cost.run_per_year, cur)}. {cost.run_rule_check}",
    ]
    if cost.value_per_year and cost.payback_months is not None:
        lines.append(f"- **Payback** about {months(cost.payback_months)} on the stated "
                     f"{money(cost.value_per_year, cur)} a year")  # fmt: skip
    lines.append(f"\n{tl.realism}")
    return "\n".join(lines)


def actions_markdown(report: Report) -> str:
    """Each action with its roles, P50/P90 effort and cost, weeks and what it waits for."""
    cur = report.plan.cost.currency
    lines: list[str] = []
    for n, a in enumerate(report.plan.actions, 1):
        roles = ", ".join(f"{role.replace('_', ' ')} {share:.0%}" for role, share in a.roles.items())
        critical = " · **critical**" if a.critical else ""
        after = f" · after {', '.join(a.depends_on)}" if a.depends_on else ""
        lines += [
            f"{n}. **{a.title}** ({a.area}, {a.phase}){critical}  ",
            f"   {roles} · {a.effort.p50:g}–{a.effort.p90:g} person-weeks · "
            f"{money(a.cost.p50, cur)}–{money(a.cost.p90, cur)} · weeks {a.start_week:g}–{a.end_week:g}{after}",
        ]
    return "\n".join(lines) or "No actions."


def findings_markdown(report: Report) -> str:
    """The evidenced areas, worst first, each with the team's words."""
    order = {"high": 0, "medium": 1, "low": 2, "none": 3}
    evidenced = sorted((r for r in report.risks if r.status == "evidenced"), key=lambda r: order[r.severity])
    lines: list[str] = []
    for risk in evidenced:
        lines += [f"**{risk.title}: {risk.severity}**. {risk.rationale}", ""]
        lines += [f"> “{e.quote}” ({'gap' if e.polarity == 'risk' else 'mitigation'}, {e.source})" for e in
                  risk.evidence[:3]]  # fmt: skip
        lines.append("")
    return "\n".join(lines).strip() or "No evidence found yet."


def open_questions_markdown(report: Report) -> str:
    """What is still unknown, as the questions to answer next."""
    if not report.open_questions:
        return "None: every area has evidence."
    return "\n".join(f"- **{q.area}**: {q.text}" for q in report.open_questions)
