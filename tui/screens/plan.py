"""The plan screen: verdict, narrative (streamed in from an LLM), totals, timeline, actions, findings, questions."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, Static

from advisor.domain.report import Report
from tui.export import export_report
from tui.report_text import (
    actions_markdown,
    findings_markdown,
    open_questions_markdown,
    totals_markdown,
    verdict_line,
)
from tui.widgets.timeline import TimelineChart


class PlanScreen(Screen[None]):
    """The report of one session; ctrl+e writes it as Markdown, JSON and HTML, escape goes back to the chat."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "export", "Export", priority=True),
        Binding("escape", "back", "Chat"),
        Binding("ctrl+n", "app.new_session", "New", priority=True, show=False),
        Binding("ctrl+o", "app.sessions", "Sessions", priority=True),
    ]

    def __init__(self, report: Report, thread_id: str, export_dir: Path, *, streaming: bool = False) -> None:
        super().__init__()
        self.report = report
        self.thread_id = thread_id
        self.export_dir = export_dir
        self.streaming = streaming
        """True until finish(): the report is a draft whose narrative may still be arriving."""
        self.streamed = ""
        """The narrative's chunks so far, as an LLM writes them."""

    def compose(self) -> ComposeResult:
        """Verdict line over the scrolling sections."""
        report = self.report
        yield Header()
        yield Static(verdict_line(report), id="verdict", classes=report.verdict)
        with VerticalScroll(id="plan-body"):
            yield Markdown(f"{report.verdict_reason}\n\n{report.summary}", id="narrative")
            yield Static("Totals", classes="section")
            yield Markdown(totals_markdown(report), id="totals")
            yield Static("Timeline", classes="section")
            yield TimelineChart(report.plan, id="timeline")
            yield Static("Actions", classes="section")
            yield Markdown(actions_markdown(report), id="actions")
            yield Static("Findings", classes="section")
            yield Markdown(findings_markdown(report), id="findings")
            yield Static("Open questions", classes="section")
            yield Markdown(open_questions_markdown(report), id="open-questions")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the body so the arrow keys and page keys scroll it."""
        self.sub_title = f"plan · session {self.thread_id}"
        self.query_one("#plan-body").focus()

    def stream(self, chunk: str) -> None:
        """Show the next piece of the narrative as the LLM writes it."""
        self.streamed += chunk
        narrative = self.query_one("#narrative", Markdown)
        narrative.add_class("streaming")
        narrative.update(f"{self.report.verdict_reason}\n\n{self.streamed}▌")

    def finish(self, report: Report) -> None:
        """The final report: its narrative replaces the streamed one (they differ when the guard rejected it)."""
        rejected = [f for f in report.provenance.fallbacks if f.startswith("narrate:")]
        replaced = bool(self.streamed) and " ".join(self.streamed.split()) != report.summary
        self.report, self.streaming = report, False
        narrative = self.query_one("#narrative", Markdown)
        narrative.remove_class("streaming")
        narrative.update(f"{report.verdict_reason}\n\n{report.summary}")
        self.query_one("#verdict", Static).update(verdict_line(report))
        if replaced:
            why = rejected[-1].removeprefix("narrate: ") if rejected else "it did not pass the checks"
            self.notify(f"The LLM's narrative was replaced by the offline one: {why}.", title="Narrative",
                        severity="warning", timeout=10)  # fmt: skip

    def abandon_stream(self) -> None:
        """The finish failed midway: show the draft's own narrative, not half a stream."""
        self.finish(self.report)

    def action_back(self) -> None:
        """Back to the conversation."""
        self.dismiss()

    def action_export(self) -> None:
        """Write the report as Markdown, JSON and HTML into the export folder."""
        if self.streaming:
            self.notify("The narrative is still being written; export in a moment.", severity="warning")
            return
        self._export(self.report)

    @work(thread=True, exit_on_error=False)
    def _export(self, report: Report) -> None:
        try:
            paths = export_report(report, self.export_dir, f"poc-advisor-{self.thread_id}")
        except OSError as exc:
            self.app.call_from_thread(self.notify, f"Could not export: {exc}", title="Error", severity="error")
            return
        names = "\n".join(p.name for p in paths)
        self.app.call_from_thread(self.notify, f"{names}\nin {paths[0].parent}", title="Exported", timeout=8)
