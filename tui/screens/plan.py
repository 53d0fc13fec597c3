"""The plan screen: the verdict and the full report, exportable."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, Static

from advisor.domain.report import Report
from advisor.narrative import money
from advisor.render import render

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


class PlanScreen(Screen[None]):
    """Findings, actions with roles and P50/P90 effort and cost, phases, totals and open questions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "app.export", "Export"),
        Binding("ctrl+q", "app.quit", "Quit"),
    ]

    def __init__(self, report: Report) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        """The verdict line over the rendered report."""
        yield Header()
        yield Static(verdict_line(self.report), id="verdict", classes=self.report.verdict)
        with VerticalScroll(id="plan-body"):
            yield Markdown(render(self.report, "md"), id="plan-report")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the report so the arrow keys scroll it."""
        self.query_one("#plan-body").focus()
