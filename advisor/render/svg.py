"""Inline SVG charts: no scripts, no network at view time."""

from __future__ import annotations

from html import escape

from advisor.domain.plan import Plan
from advisor.domain.risk import AreaRisk

SEVERITY_COLOURS = {"high": "#c0392b", "medium": "#e67e22", "low": "#f1c40f", "none": "#27ae60"}
UNKNOWN_COLOUR = "#bdc3c7"
PHASE_COLOURS = {"foundation": "#2e86de", "build": "#8e44ad", "launch": "#16a085"}
_LEVEL = {"high": 3, "medium": 2, "low": 1, "none": 0.25}


def risk_chart(risks: list[AreaRisk]) -> str:
    """Horizontal bars, one per area: length and colour by severity, grey when unknown."""
    row, label_w, bar_w = 26, 150, 300
    height = row * len(risks) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 120}" height="{height}" '
             'role="img" aria-label="Risk by area">']  # fmt: skip
    for i, risk in enumerate(risks):
        y = 10 + i * row
        unknown = risk.status == "unknown"
        colour = UNKNOWN_COLOUR if unknown else SEVERITY_COLOURS[risk.severity]
        width = bar_w * (0.08 if unknown else _LEVEL[risk.severity] / 3)
        label = "unknown" if unknown else risk.severity
        parts.append(f'<text x="0" y="{y + 15}" font-size="13">{escape(risk.title)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{width:.0f}" height="18" fill="{colour}" rx="3"/>')
        parts.append(f'<text x="{label_w + width + 6:.0f}" y="{y + 14}" font-size="12">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)


def timeline_chart(plan: Plan) -> str:
    """A Gantt chart of the scheduled actions, coloured by phase; critical actions outlined."""
    actions = plan.actions
    if not actions:
        return ""
    row, label_w, chart_w = 22, 300, 520
    weeks = max(a.end_week for a in actions) or 1.0
    scale = chart_w / weeks
    height = row * len(actions) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + chart_w + 20}" height="{height}" '
             'role="img" aria-label="Remediation timeline">']  # fmt: skip
    step = max(1, round(weeks / 10))
    for week in range(0, int(weeks) + 1, step):
        x = label_w + week * scale
        parts.append(f'<line x1="{x:.0f}" y1="0" x2="{x:.0f}" y2="{height - 20}" stroke="#eee"/>')
        parts.append(f'<text x="{x:.0f}" y="{height - 5}" font-size="10" text-anchor="middle">w{week}</text>')
    for i, action in enumerate(actions):
        y = 5 + i * row
        x = label_w + action.start_week * scale
        width = max(2.0, (action.end_week - action.start_week) * scale)
        stroke = ' stroke="#000" stroke-width="2"' if action.critical else ""
        title = escape(action.title[:46] + ("…" if len(action.title) > 46 else ""))
        parts.append(f'<text x="0" y="{y + 13}" font-size="11">{title}</text>')
        parts.append(
            f'<rect x="{x:.0f}" y="{y}" width="{width:.0f}" height="15" fill="{PHASE_COLOURS[action.phase]}" '
            f'rx="2"{stroke}><title>{escape(action.id)}: weeks {action.start_week:g}-{action.end_week:g}</title></rect>'
        )
    parts.append("</svg>")
    return "".join(parts)
