"""The evaluation report as one self-contained HTML page: inline CSS and SVG, all text escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from advisor.domain.areas import AREA_IDS, AREA_TITLES
from advisor.evaluation.compare import MetricChange

VERDICTS = ("not_ready", "ready_with_conditions", "ready")
SPLIT_COLOURS = {"dev": "#2e86de", "heldout": "#8e44ad", "all": "#16a085"}
DIRECTION_COLOURS = {"improved": "#27ae60", "regressed": "#c0392b", "unchanged": "#777"}
SUMMARY_METRICS = (
    "briefs", "verdict_accuracy", "area_precision", "area_recall", "area_f1", "severity_agreement",
    "must_not_flag_rated_high", "must_not_flag_flagged", "key_action_coverage", "themes_covered", "themes_total",
    "plan_consistency", "plans_inconsistent", "determinism", "seconds_per_brief", "seconds_p95",
)  # fmt: skip

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ddd;padding:4px 8px;font-size:13px;text-align:left;
vertical-align:top}th{background:#f5f5f5}td.n{text-align:right}.muted{color:#777;font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:2em;align-items:flex-start}
.chip{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;border-radius:2px}
"""


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value else "0"
    return escape(str(value))


def f1_chart(splits: dict[str, dict[str, Any]]) -> str:
    """Grouped horizontal bars: per-area F1 for each split."""
    names = list(splits)
    label_w, bar_w, bar_h = 150, 360, 10
    group_h = bar_h * len(names) + 8
    height = group_h * len(AREA_IDS) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" height="{height}" role="img" '
        'aria-label="Per-area F1">'
    ]
    for i, area in enumerate(AREA_IDS):
        y0 = 5 + i * group_h
        parts.append(f'<text x="0" y="{y0 + group_h / 2 + 2:.0f}" font-size="12">{escape(AREA_TITLES[area])}</text>')
        for j, name in enumerate(names):
            f1 = float((splits[name].get("per_area") or {}).get(area, {}).get("f1", 0.0))
            y = y0 + j * bar_h
            colour = SPLIT_COLOURS.get(name, "#555")
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{bar_w * f1:.1f}" height="{bar_h - 1}" fill="{colour}">'
                f"<title>{escape(name)} {escape(area)} F1 {f1:.2f}</title></rect>"
            )
            parts.append(f'<text x="{label_w + bar_w * f1 + 4:.1f}" y="{y + bar_h - 2}" font-size="9">{f1:.2f}</text>')
    axis_y = height - 18
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = label_w + bar_w * tick
        parts.append(f'<line x1="{x:.0f}" y1="0" x2="{x:.0f}" y2="{axis_y}" stroke="#eee"/>')
        parts.append(f'<text x="{x:.0f}" y="{axis_y + 12}" font-size="10" text-anchor="middle">{tick:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def confusion_chart(confusion: dict[str, int], title: str) -> str:
    """A 3x3 grid: labelled verdict (rows) against predicted verdict (columns), shaded by count."""
    cell, left, head = 70, 150, 60
    counts = {(k.split("->")[0], k.split("->")[1]): v for k, v in confusion.items() if "->" in k}
    peak = max(counts.values(), default=1) or 1
    size_w, size_h = left + cell * 3 + 10, head + cell * 3 + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_w}" height="{size_h}" role="img" '
        f'aria-label="{escape(title)}">',
        f'<text x="{left}" y="14" font-size="12" font-weight="600">{escape(title)}: predicted →</text>',
    ]
    short = {"not_ready": "not ready", "ready_with_conditions": "conditions", "ready": "ready"}
    for j, predicted in enumerate(VERDICTS):
        parts.append(
            f'<text x="{left + j * cell + cell / 2:.0f}" y="{head - 8}" font-size="11" '
            f'text-anchor="middle">{short[predicted]}</text>'
        )
    for i, labelled in enumerate(VERDICTS):
        y = head + i * cell
        parts.append(f'<text x="0" y="{y + cell / 2 + 4:.0f}" font-size="11">labelled {short[labelled]}</text>')
        for j, predicted in enumerate(VERDICTS):
            n = counts.get((labelled, predicted), 0)
            shade = 0.08 + 0.85 * n / peak if n else 0.0
            colour = "39,174,96" if i == j else "192,57,43"
            parts.append(
                f'<rect x="{left + j * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="rgba({colour},{shade:.2f})" stroke="#ccc"/>'
            )
            parts.append(
                f'<text x="{left + j * cell + cell / 2 - 1:.0f}" y="{y + cell / 2 + 5:.0f}" font-size="16" '
                f'text-anchor="middle">{n}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def eval_html(result: dict[str, Any], changes: Sequence[MetricChange] | None = None) -> str:
    """The evaluation page: metrics per split, F1 bars, confusion matrices, baseline changes, per-brief detail."""
    e = escape
    splits: dict[str, dict[str, Any]] = result["splits"]
    names = list(splits)
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>POC Advisor evaluation</title><style>{_CSS}</style></head><body>",
        "<h1>POC Advisor evaluation</h1>",
        f"<p class='muted'>Engine {e(str(result.get('engine')))} ({e(str(result.get('model')))}), knowledge "
        f"{e(str(result.get('knowledge_version')))}, poc-advisor {e(str(result.get('advisor_version')))}, "
        f"dataset {e(str(result.get('dataset')))}</p>",
        "<h2>Metrics</h2><table><tr><th>metric</th>" + "".join(f"<th>{e(n)}</th>" for n in names) + "</tr>",
    ]
    for metric in SUMMARY_METRICS:
        cells = "".join(f"<td class='n'>{_fmt(splits[n].get(metric))}</td>" for n in names)
        out.append(f"<tr><td>{e(metric)}</td>{cells}</tr>")
    out.append("</table>")
    legend = "".join(
        f"<span class='chip' style='background:{SPLIT_COLOURS.get(n, '#555')}'></span>{e(n)}" for n in names
    )
    out += ["<h2>Per-area F1</h2>", f"<div>{f1_chart(splits)}<p class='muted'>{legend}</p></div>"]
    out.append("<h2>Verdict confusion</h2><div class='charts'>")
    out += [f"<div>{confusion_chart(splits[n].get('confusion') or {}, n)}</div>" for n in names]
    out.append("</div>")
    if changes:
        out.append(
            "<h2>Against the baseline</h2><table><tr><th>split</th><th>metric</th><th>baseline</th>"
            "<th>now</th><th>change</th></tr>"
        )
        for c in sorted(changes, key=lambda c: (c.direction != "regressed", c.direction != "improved", c.split)):
            colour = DIRECTION_COLOURS[c.direction]
            out.append(
                f"<tr><td>{e(c.split)}</td><td>{e(c.metric)}</td><td class='n'>{_fmt(c.baseline)}</td>"
                f"<td class='n'>{_fmt(c.current)}</td><td style='color:{colour}'>{c.direction}</td></tr>"
            )
        out.append("</table>")
    out.append(
        "<h2>Per brief</h2><table><tr><th>brief</th><th>split</th><th>labelled</th><th>predicted</th>"
        "<th>themes not covered</th><th>plan problems</th><th>deterministic</th><th>seconds</th></tr>"
    )
    for b in result.get("briefs", []):
        mark = "" if b["verdict"] == b["labelled_verdict"] else " style='color:#c0392b'"
        out.append(
            f"<tr><td>{e(b['id'])}</td><td>{e(b['split'])}</td><td>{e(b['labelled_verdict'])}</td>"
            f"<td{mark}>{e(b['verdict'])}</td><td>{e('; '.join(b['uncovered_themes'])) or '-'}</td>"
            f"<td>{e('; '.join(b['plan_problems'])) or '-'}</td><td>{_fmt(b['deterministic'])}</td>"
            f"<td class='n'>{b['seconds']:.3f}</td></tr>"
        )
    out.append("</table></body></html>\n")
    return "\n".join(out)
