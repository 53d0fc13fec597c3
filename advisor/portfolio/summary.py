"""The portfolio summary: portfolio.csv, portfolio.json and portfolio.html, ranked by readiness."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote

from pydantic import BaseModel, Field

from advisor.narrative import money, months
from advisor.portfolio.charts import VERDICT_COLOURS, readiness_cost_chart, risk_heatmap
from advisor.portfolio.files import write_atomically
from advisor.portfolio.rows import PortfolioRow, rank_rows
from advisor.render.svg import SEVERITY_COLOURS, UNKNOWN_COLOUR
from advisor.version import __version__

PORTFOLIO_SCHEMA = "1.0"
CSV_COLUMNS = (
    "rank", "brief", "verdict", "highs", "mediums", "top_risks", "build_cost_p50", "build_cost_p90",
    "run_cost_per_year", "value_per_year", "payback_months", "timeline_weeks_p50", "currency", "report",
)  # fmt: skip


class FailedBrief(BaseModel):
    """A brief the batch could not assess."""

    source: str = Field(description="The brief file.")
    error: str = Field(description="The one-line reason.")


class Portfolio(BaseModel):
    """portfolio.json: the ranked projects and the briefs that failed."""

    schema_version: str = Field(default=PORTFOLIO_SCHEMA, description="Version of this file's layout.")
    advisor_version: str = Field(default=__version__, description="Version of poc-advisor that wrote it.")
    counts: dict[str, int] = Field(description="Projects per verdict, plus 'failed'.")
    projects: list[PortfolioRow] = Field(description="One row per assessed brief, most ready first.")
    failed: list[FailedBrief] = Field(default_factory=list, description="Briefs that could not be assessed.")


def _csv_cell(value: object) -> object:
    # A spreadsheet runs a cell starting with = + - @ as a formula; brief names come from users' file names.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return "" if value is None else value


def portfolio_csv(rows: Sequence[PortfolioRow]) -> str:
    """The ranked rows as CSV, raw numbers for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        values = (
            r.rank, r.brief, r.verdict, r.highs, r.mediums, "; ".join(r.top_risks), r.build_p50, r.build_p90,
            r.run_per_year, r.value_per_year, r.payback_months, r.timeline_weeks_p50, r.currency, r.report,
        )  # fmt: skip
        writer.writerow([_csv_cell(v) for v in values])
    return buffer.getvalue()


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;width:100%;margin:1em 0}td,th{border:1px solid #ddd;padding:4px 6px;font-size:13px;
text-align:left;vertical-align:top}th{background:#f5f5f5}td.n{text-align:right;white-space:nowrap}
.verdict{display:inline-block;padding:.1em .5em;border-radius:4px;color:#fff;font-size:12px;white-space:nowrap}
.muted{color:#777;font-size:12px}
.chip{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;border-radius:2px}
.charts{display:flex;flex-wrap:wrap;gap:2em;align-items:flex-start}
"""


def _legend(colours: dict[str, str]) -> str:
    return "".join(f"<span class='chip' style='background:{c}'></span>{escape(k)}" for k, c in colours.items())


def portfolio_html(portfolio: Portfolio, link_suffix: str | None) -> str:
    """A self-contained page: counts, readiness-vs-cost chart, risk heatmap, ranked table, failures."""
    e = escape
    rows = portfolio.projects
    counts = ", ".join(f"{n} {verdict}" for verdict, n in portfolio.counts.items() if n and verdict != "failed")
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>POC portfolio readiness</title><style>{_CSS}</style></head><body>",
        "<h1>POC portfolio readiness</h1>",
        f"<p>{len(rows)} projects assessed: {e(counts) or 'none'}. Ranked by verdict, then number of high risks, "
        "then P50 build cost, then stated value.</p>",
        "<h2>Readiness vs cost</h2>",
        f"<div class='charts'><div>{readiness_cost_chart(rows)}<p class='muted'>{_legend(VERDICT_COLOURS)}; "
        "numbers are ranks</p></div></div>",
        "<h2>Risk heatmap</h2>",
        f"<div>{risk_heatmap(rows)}<p class='muted'>"
        f"{_legend({**SEVERITY_COLOURS, 'unknown': UNKNOWN_COLOUR})}</p></div>",
        "<h2>Ranking</h2><table><tr><th>#</th><th>Project</th><th>Verdict</th><th>High</th><th>Medium</th>"
        "<th>Top risks</th><th>Build P50 / P90</th><th>Run / year</th><th>Value / year</th><th>Payback</th>"
        "<th>Weeks P50</th></tr>",
    ]
    for r in rows:
        name = e(r.brief)
        if link_suffix:
            name = f"<a href='{e(quote(r.report + link_suffix))}'>{name}</a>"
        value = money(r.value_per_year, r.currency) if r.value_per_year else "-"
        payback = months(r.payback_months) if r.payback_months is not None else "-"
        out.append(
            f"<tr><td class='n'>{r.rank}</td><td>{name}<div class='muted'>{e(r.source)}</div></td>"
            f"<td><span class='verdict' style='background:{VERDICT_COLOURS[r.verdict]}'>{e(r.verdict)}</span></td>"
            f"<td class='n'>{r.highs}</td><td class='n'>{r.mediums}</td><td>{e('; '.join(r.top_risks)) or '-'}</td>"
            f"<td class='n'>{e(money(r.build_p50, r.currency))} / {e(money(r.build_p90, r.currency))}</td>"
            f"<td class='n'>{e(money(r.run_per_year, r.currency))}</td><td class='n'>{e(value)}</td>"
            f"<td class='n'>{e(payback)}</td><td class='n'>{r.timeline_weeks_p50:g}</td></tr>"
        )
    out.append("</table>")
    if portfolio.failed:
        out.append("<h2>Not assessed</h2><ul>")
        out += [f"<li>{e(f.error)}</li>" for f in portfolio.failed]
        out.append("</ul>")
    out.append(f"<p class='muted'>poc-advisor {e(portfolio.advisor_version)}</p></body></html>\n")
    return "\n".join(out)


def build_portfolio(rows: Sequence[PortfolioRow], failed: Sequence[FailedBrief] = ()) -> Portfolio:
    """Rank the rows and count verdicts."""
    ranked = rank_rows(rows)
    tally = Counter(r.verdict for r in ranked)
    counts = {v: tally.get(v, 0) for v in ("not_ready", "ready_with_conditions", "ready")}
    counts["failed"] = len(failed)
    return Portfolio(counts=counts, projects=ranked, failed=sorted(failed, key=lambda f: f.source))


def write_portfolio(
    out_dir: Path, rows: Sequence[PortfolioRow], failed: Sequence[FailedBrief] = (), link_suffix: str | None = None
) -> list[Path]:
    """Write portfolio.csv, portfolio.json and portfolio.html into out_dir; link_suffix picks the report to link."""
    portfolio = build_portfolio(rows, failed)
    outputs = {
        "portfolio.csv": portfolio_csv(portfolio.projects),
        "portfolio.json": json.dumps(portfolio.model_dump(mode="json"), indent=2) + "\n",
        "portfolio.html": portfolio_html(portfolio, link_suffix),
    }
    paths = []
    for name, text in outputs.items():
        write_atomically(out_dir / name, text)
        paths.append(out_dir / name)
    return paths
