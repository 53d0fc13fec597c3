"""The Markdown report."""

from __future__ import annotations

from advisor.domain.report import Report
from advisor.narrative import money, months

_BADGE = {"high": "HIGH", "medium": "MEDIUM", "low": "low", "none": "none"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    """A report a team lead can read top to bottom."""
    cur = report.plan.cost.currency
    lines = [f"# POC readiness: {report.brief}", "", f"**Verdict: {report.verdict}**. {report.verdict_reason}", ""]
    lines += [report.summary, ""]
    if report.notices:
        lines += ["## Notices", "", *[f"- {n}" for n in report.notices], ""]
    lines += ["## Scorecard", "", "| Area | Severity | Status | Confidence |", "| --- | --- | --- | --- |"]
    for risk in report.risks:
        lines.append(f"| {risk.title} | {_BADGE[risk.severity]} | {risk.status} | {risk.confidence:.2f} |")
    lines += ["", "## Findings", ""]
    for risk in report.risks:
        if risk.status == "unknown":
            continue
        lines += [f"### {risk.title}: {risk.severity}", "", risk.rationale, ""]
        for item in risk.evidence:
            tag = "gap" if item.polarity == "risk" else "mitigation"
            lines.append(f'> "{item.quote}" ({tag}, {item.source})')
            lines.append("")
        for passage in risk.knowledge:
            lines.append(f"- Knowledge: *{passage.title}* ({passage.source}): {passage.excerpt[:160]}…")
        lines.append("")
    if report.open_questions:
        lines += ["## Open questions", ""]
        lines += [f"- **{q.area}**: {q.text} _(why: {q.why})_" for q in report.open_questions]
        lines.append("")
    plan = report.plan
    lines += ["## Remediation plan", "", f"Scale: **{plan.scale}**. {plan.scale_reason}", ""]
    if plan.actions:
        lines += [
            "| # | Action | Area | Roles | Effort P50/P90 (pw) | Cost P50/P90 | Phase | Weeks | Depends on |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for n, a in enumerate(plan.actions, 1):
            roles = ", ".join(f"{r} {s:.0%}" for r, s in a.roles.items())
            mark = " *(critical)*" if a.critical else ""
            lines.append(
                f"| {n} | {_cell(a.title)}{mark} | {a.area} | {roles} | {a.effort.p50:g}/{a.effort.p90:g} | "
                f"{money(a.cost.p50, cur)}/{money(a.cost.p90, cur)} | {a.phase} | "
                f"{a.start_week:g}-{a.end_week:g} | {', '.join(a.depends_on) or '-'} |"
            )
        cost = plan.cost
        lines += [
            "",
            "### Totals",
            "",
            f"- Effort: {cost.effort_weeks.p50:g} person-weeks at P50, {cost.effort_weeks.p90:g} at P90",
            f"- Build cost: {money(cost.build.p50, cur)} at P50, {money(cost.build.p90, cur)} at P90",
            f"- Yearly run cost: {money(cost.run_per_year, cur)}. {cost.run_rule_check}",
        ]
        if cost.value_per_year and cost.payback_months is not None:
            lines.append(
                f"- Value stated: {money(cost.value_per_year, cur)} a year; payback about {months(cost.payback_months)}"
            )
        tl = plan.timeline
        lines += [
            "",
            "### Timeline",
            "",
            f"- {tl.weeks_p50:g} weeks at P50, {tl.weeks_p90:g} at P90, with {tl.capacity_fte:g} people "
            f"({tl.capacity_source})",
            *[f"- {p.phase}: weeks {p.start_week:g}-{p.end_week:g} ({len(p.actions)} actions)" for p in tl.phases],
            f"- Critical path: {' → '.join(tl.critical_path)}",
            f"- {tl.realism}",
            "",
            "### Assumptions",
            "",
            *[f"- {a}" for a in cost.assumptions],
        ]
    else:
        lines.append("No remediation actions: nothing evidenced needs work.")
    if report.warnings:
        lines += ["", "## Review warnings", "", *[f"- {w}" for w in report.warnings]]
    p = report.provenance
    lines += [
        "",
        "---",
        f"Engine {p.engine} ({p.model}), knowledge {p.knowledge_version}, poc-advisor {p.advisor_version}, "
        f"brief sha256 {p.brief_sha256[:12]}, schema {report.schema_version}.",
        "",
    ]
    return "\n".join(lines)
