"""A self-contained HTML report: inline CSS and SVG, every piece of user text escaped."""

from __future__ import annotations

from html import escape

from advisor.domain.report import Report
from advisor.narrative import money, months
from advisor.render.svg import PHASE_COLOURS, SEVERITY_COLOURS, UNKNOWN_COLOUR, risk_chart, timeline_chart

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em}.verdict{display:inline-block;padding:.3em .8em;border-radius:4px;color:#fff;font-weight:600}
.not_ready{background:#c0392b}.ready_with_conditions{background:#e67e22}.ready{background:#27ae60}
table{border-collapse:collapse;width:100%;margin:1em 0}td,th{border:1px solid #ddd;padding:4px 6px;font-size:13px;
text-align:left;vertical-align:top}th{background:#f5f5f5}blockquote{margin:.4em 0;padding:.3em .8em;
border-left:4px solid #ccc;background:#fafafa}.gap{border-color:#c0392b}.mitigation{border-color:#27ae60}
.muted{color:#777;font-size:12px}.charts{display:flex;flex-wrap:wrap;gap:2em}.chip{display:inline-block;
width:10px;height:10px;margin-right:4px;border-radius:2px}
"""


def render_html(report: Report) -> str:
    """The report as one HTML page with a risk chart and a timeline chart."""
    e = escape
    cur = report.plan.cost.currency
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>POC readiness: {e(report.brief)}</title><style>{_CSS}</style></head><body>",
        f"<h1>POC readiness: {e(report.brief)}</h1>",
        f"<p><span class='verdict {report.verdict}'>{e(report.verdict)}</span> {e(report.verdict_reason)}</p>",
        f"<p>{e(report.summary)}</p>",
    ]
    if report.notices:
        out.append("<h2>Notices</h2><ul>" + "".join(f"<li>{e(n)}</li>" for n in report.notices) + "</ul>")
    legend = " ".join(
        f"<span class='chip' style='background:{c}'></span>{s}" for s, c in [*SEVERITY_COLOURS.items(), ("unknown", UNKNOWN_COLOUR)]
    )  # fmt: skip
    out += [
        "<h2>Risk by area</h2>",
        f"<div class='charts'><div>{risk_chart(report.risks)}",
        f"<p class='muted'>{legend}</p></div></div>",
    ]
    out.append("<h2>Findings</h2>")
    for risk in report.risks:
        if risk.status == "unknown":
            continue
        out.append(
            f"<h3>{e(risk.title)}: {e(risk.severity)} <span class='muted'>confidence {risk.confidence:.2f}</span></h3>"
        )
        out.append(f"<p>{e(risk.rationale)}</p>")
        for item in risk.evidence:
            kind = "gap" if item.polarity == "risk" else "mitigation"
            out.append(
                f"<blockquote class='{kind}'>“{e(item.quote)}” <span class='muted'>{kind}, {e(item.source)}</span></blockquote>"
            )
        if risk.knowledge:
            out.append("<ul>" + "".join(
                f"<li class='muted'><b>{e(k.title)}</b> ({e(k.source)}): {e(k.excerpt[:200])}…</li>" for k in risk.knowledge
            ) + "</ul>")  # fmt: skip
    if report.open_questions:
        out.append("<h2>Open questions</h2><ul>")
        out += [
            f"<li><b>{e(q.area)}</b>: {e(q.text)} <span class='muted'>{e(q.why)}</span></li>"
            for q in report.open_questions
        ]
        out.append("</ul>")
    plan = report.plan
    out.append(f"<h2>Remediation plan</h2><p>Scale: <b>{plan.scale}</b>. {e(plan.scale_reason)}</p>")
    if plan.actions:
        phases = " ".join(f"<span class='chip' style='background:{c}'></span>{p}" for p, c in PHASE_COLOURS.items())
        out += [timeline_chart(plan), f"<p class='muted'>{phases}; outlined = critical path</p>"]
        out.append("<table><tr><th>Action</th><th>Area</th><th>Roles</th><th>Effort P50/P90 (pw)</th>"
                   "<th>Cost P50/P90</th><th>Phase</th><th>Weeks</th><th>Depends on</th></tr>")  # fmt: skip
        for a in plan.actions:
            roles = ", ".join(f"{e(r)} {s:.0%}" for r, s in a.roles.items())
            out.append(
                f"<tr><td>{e(a.title)}<div class='muted'>{e(a.why)}</div></td><td>{a.area}</td><td>{roles}</td>"
                f"<td>{a.effort.p50:g} / {a.effort.p90:g}</td><td>{money(a.cost.p50, cur)} / {money(a.cost.p90, cur)}</td>"
                f"<td>{a.phase}</td><td>{a.start_week:g}-{a.end_week:g}</td><td>{e(', '.join(a.depends_on)) or '-'}</td></tr>"
            )
        out.append("</table>")
        c, tl = plan.cost, plan.timeline
        items = [
            f"Build cost {money(c.build.p50, cur)} at P50, {money(c.build.p90, cur)} at P90 "
            f"({c.effort_weeks.p50:g} / {c.effort_weeks.p90:g} person-weeks)",
            f"Yearly run cost {money(c.run_per_year, cur)}. {c.run_rule_check}",
            f"Timeline {tl.weeks_p50:g} weeks at P50, {tl.weeks_p90:g} at P90. {tl.realism}",
        ]
        if c.value_per_year and c.payback_months is not None:
            items.append(
                f"Value stated {money(c.value_per_year, cur)} a year: payback about {months(c.payback_months)}"
            )
        out.append("<h3>Totals</h3><ul>" + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>")
        out.append("<h3>Assumptions</h3><ul>" + "".join(f"<li>{e(a)}</li>" for a in c.assumptions) + "</ul>")
    if report.warnings:
        out.append("<h2>Review warnings</h2><ul>" + "".join(f"<li>{e(w)}</li>" for w in report.warnings) + "</ul>")
    p = report.provenance
    out.append(
        f"<p class='muted'>Engine {e(p.engine)} ({e(p.model)}), knowledge {e(p.knowledge_version)}, "
        f"poc-advisor {e(p.advisor_version)}, brief sha256 {p.brief_sha256[:12]}, schema {report.schema_version}</p>"
    )
    out.append("</body></html>\n")
    return "\n".join(out)
