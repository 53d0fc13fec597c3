"""Inline SVG charts for the portfolio page: readiness vs cost, and a risk heatmap. No scripts."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from advisor.domain.areas import AREA_IDS, AREA_TITLES
from advisor.narrative import money
from advisor.portfolio.rows import PortfolioRow
from advisor.render.svg import SEVERITY_COLOURS, UNKNOWN_COLOUR

VERDICT_COLOURS = {"not_ready": "#c0392b", "ready_with_conditions": "#e67e22", "ready": "#27ae60"}


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def readiness_cost_chart(rows: Sequence[PortfolioRow]) -> str:
    """Scatter: P50 build cost across, high risks down (top = more ready), coloured by verdict, labelled by rank."""
    width, height, left, right, top, bottom = 680, 380, 60, 30, 20, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    currency = rows[0].currency if rows else "USD"
    max_cost = max((r.build_p50 for r in rows), default=0.0) or 1.0
    max_highs = max(3, *(r.highs for r in rows)) if rows else 3
    pad = 14  # keeps points off the frame so none is half hidden

    def sx(cost: float) -> float:
        return left + pad + (plot_w - 2 * pad) * cost / max_cost

    def sy(highs: float) -> float:
        return top + pad + (plot_h - 2 * pad) * highs / max_highs

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        'aria-label="Readiness versus cost">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fafafa" stroke="#ddd"/>',
    ]
    for i in range(5):
        x = sx(max_cost * i / 4)
        parts.append(f'<line x1="{x:.0f}" y1="{top}" x2="{x:.0f}" y2="{top + plot_h}" stroke="#eee"/>')
        label = escape(money(max_cost * i / 4, currency))
        parts.append(f'<text x="{x:.0f}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle">{label}</text>')
    for highs in range(max_highs + 1):
        y = sy(highs)
        parts.append(f'<text x="{left - 8}" y="{y + 4:.0f}" font-size="11" text-anchor="end">{highs}</text>')
    parts.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 8}" font-size="12" text-anchor="middle">'
        "Build cost to production (P50)</text>"
    )
    parts.append(
        f'<text x="14" y="{top + plot_h / 2:.0f}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + plot_h / 2:.0f})">High risks (fewer = more ready)</text>'
    )
    taken: dict[tuple[int, int], int] = {}
    for row in rows:
        x, y = sx(row.build_p50), sy(row.highs)
        # Projects on the same spot are nudged sideways so each stays visible and clickable.
        cell = (round(x / 6), round(y / 6))
        x += 9 * taken.get(cell, 0)
        taken[cell] = taken.get(cell, 0) + 1
        tip = escape(
            f"#{row.rank} {row.brief}: {row.verdict}, {row.highs} high, {row.mediums} medium, "
            f"{money(row.build_p50, row.currency)} P50"
        )
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{VERDICT_COLOURS[row.verdict]}" stroke="#fff">'
            f"<title>{tip}</title></circle>"
        )
        parts.append(f'<text x="{x + 8:.1f}" y="{y - 6:.1f}" font-size="10">{row.rank}</text>')
    parts.append("</svg>")
    return "".join(parts)


def risk_heatmap(rows: Sequence[PortfolioRow]) -> str:
    """Projects (rows, in rank order) x the ten areas, coloured by severity; grey where the area is unknown."""
    label_w, cell_w, cell_h, head_h = 240, 44, 20, 110
    width = label_w + cell_w * len(AREA_IDS) + 80  # room for the last slanted column title
    height = head_h + cell_h * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        'aria-label="Risk heatmap">'
    ]
    for j, area in enumerate(AREA_IDS):
        x = label_w + j * cell_w + cell_w / 2
        parts.append(
            f'<text x="{x:.0f}" y="{head_h - 6}" font-size="11" transform="rotate(-40 {x:.0f} {head_h - 6})">'
            f"{escape(AREA_TITLES[area])}</text>"
        )
    for i, row in enumerate(rows):
        y = head_h + i * cell_h
        label = escape(_short(f"{row.rank}. {row.brief}", 36))
        parts.append(f'<text x="0" y="{y + 14}" font-size="12"><title>{escape(row.brief)}</title>{label}</text>')
        for j, area in enumerate(AREA_IDS):
            severity = row.severities.get(area, "unknown")
            colour = SEVERITY_COLOURS.get(severity, UNKNOWN_COLOUR)
            tip = escape(f"{row.brief} · {AREA_TITLES[area]}: {severity}")
            parts.append(
                f'<rect x="{label_w + j * cell_w + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{colour}"><title>{tip}</title></rect>'
            )
    parts.append("</svg>")
    return "".join(parts)
