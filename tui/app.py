"""The chat app and its factory, shared by `advisor chat` and the tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header

from advisor.agent.nodes import classify_reply
from advisor.api import Advisor
from advisor.domain.brief import Brief
from advisor.domain.interview import PendingQuestion
from advisor.domain.report import Report
from advisor.domain.risk import AreaRisk
from advisor.session import Session
from tui.export import export_report
from tui.messages import AnswerSubmitted, AreaSelected
from tui.screens.plan import PlanScreen
from tui.widgets.answer_box import AnswerBox
from tui.widgets.conversation import Conversation, question_markdown
from tui.widgets.evidence_pane import EvidencePane
from tui.widgets.progress_line import ProgressLine
from tui.widgets.scorecard import Scorecard

KEYS_HELP = """Type an answer and press enter; a number picks that quick answer.
shift+tab: the quick answers · tab: the scorecard (arrows show an area's evidence)
ctrl+s skip (ask me later) · ctrl+w why this question · ctrl+d done: show the plan
ctrl+e export Markdown, JSON and HTML · ctrl+q quit"""


@dataclass(frozen=True)
class Snapshot:
    """The session as the screen shows it, read off the UI thread."""

    question: PendingQuestion | None
    risks: list[AreaRisk]
    report: Report | None


def snapshot(session: Session) -> Snapshot:
    """Read what the screen needs from the session (blocking: call from a worker)."""
    return Snapshot(session.question, session.scorecard(), session.report)


class AdvisorApp(App[None]):
    """A chat with the advisor: questions on the left, the live scorecard on the right."""

    CSS_PATH = "app.tcss"
    TITLE = "POC Advisor"
    # priority: the answer Input binds ctrl+w/ctrl+d/ctrl+e to editing keys of its own.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "skip", "Skip", priority=True),
        Binding("ctrl+w", "why", "Why?", priority=True),
        Binding("ctrl+d", "done", "Done", priority=True),
        Binding("ctrl+e", "export", "Export", priority=True),
        Binding("f1", "help", "Keys"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        advisor: Advisor,
        *,
        brief: Brief | str | Path | None = None,
        resume: str | None = None,
        max_questions: int | None = None,
        export_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.advisor = advisor
        self.session: Session | None = None
        self.busy = False
        self.export_dir = export_dir or Path.cwd()
        self._brief = brief
        self._resume = resume
        self._max_questions = max_questions
        self._shown: PendingQuestion | None = None
        self._risks: dict[str, AreaRisk] = {}
        self.sub_title = f"engine {advisor.reasoner.engine}"

    def compose(self) -> ComposeResult:
        """Conversation, progress and answer on the left; scorecard and evidence on the right."""
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="chat"):
                yield Conversation(id="conversation")
                yield ProgressLine("Starting…", id="progress")
                yield AnswerBox(id="answer")
            with Vertical(id="side"):
                yield Scorecard(id="scorecard")
                yield EvidencePane("*Select an area to see its evidence.*", id="evidence")
        yield Footer()

    def on_mount(self) -> None:
        """Open the session in a worker."""
        self.query_one(Conversation).add("notice", "Starting the interview…")
        self._set_busy(True)
        self._call("open the session", self._open, self._opened)

    # Work off the UI thread -------------------------------------------------------------------------

    @work(thread=True, group="advisor", exit_on_error=False)
    def _call(self, label: str, job: Callable[[], Any], then: Callable[[Any], None]) -> None:
        try:
            result = job()
        except Exception as exc:  # shown as a notice; the session stays as it was
            self.call_from_thread(self._failed, label, exc)
        else:
            self.call_from_thread(then, result)
        finally:
            self.call_from_thread(self._set_busy, False)

    def _open(self) -> tuple[Session, Snapshot]:
        if self._resume:
            session = self.advisor.resume(self._resume)
        else:
            session = self.advisor.start_interview(self._brief, max_questions=self._max_questions)
        return session, snapshot(session)

    def _failed(self, label: str, exc: Exception) -> None:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        self.notify(f"Could not {label}: {message}", title="Error", severity="error", timeout=10)
        if self.session is None:
            self.query_one(Conversation).add("notice", f"Could not {label}: {message}. Press ctrl+q to quit.")

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.query_one(AnswerBox).set_busy(busy)

    def _session_for_action(self) -> Session | None:
        if self.session is None:
            self.notify("No session is open.", severity="warning")
            return None
        if self.busy:
            self.notify("Still working on the last step…", severity="warning")
            return None
        if self.session.finished and self.screen is self.screen_stack[0]:
            self.notify("The interview is over: ctrl+d shows the plan.", severity="warning")
        return self.session

    def _run(self, label: str, job: Callable[[], Any], then: Callable[[Any], None]) -> None:
        self._set_busy(True)
        self._call(label, job, then)

    # Showing results ------------------------------------------------------------------------------

    def _opened(self, opened: tuple[Session, Snapshot]) -> None:
        session, snap = opened
        self.session = session
        self.sub_title = f"engine {self.advisor.reasoner.engine} · session {session.thread_id}"
        pane = self.query_one(Conversation)
        pane.add("notice", f"Session **{session.thread_id}** (resume with `advisor chat --resume {session.thread_id}`)")
        for asked in session.transcript:
            pane.add("question", f"*{asked.area}* · {asked.text}")
            pane.add("answer", asked.answer or f"*({asked.status})*")
        self._show(snap)

    def _show(self, snap: Snapshot) -> None:
        self._risks = {r.area: r for r in snap.risks}
        self.query_one(Scorecard).show(snap.risks)
        self.query_one(ProgressLine).show(snap.question, snap.risks)
        self.query_one(AnswerBox).offer(snap.question)
        if snap.question is not None and snap.question != self._shown:
            self.query_one(Conversation).add("question", question_markdown(snap.question))
        self._shown = snap.question
        if snap.report is not None:
            self._show_plan(snap.report)

    def _show_plan(self, report: Report) -> None:
        self.query_one(Conversation).add("notice", f"The plan is ready: **{report.verdict}**.")
        self.push_screen(PlanScreen(report))

    # User actions ---------------------------------------------------------------------------------

    @on(AnswerSubmitted)
    def _answered(self, event: AnswerSubmitted) -> None:
        kind = classify_reply(event.text)
        if kind == "why":
            self.action_why()
        elif kind == "skip":
            self.action_skip()
        elif kind == "done":
            self.action_done()
        elif (session := self._session_for_action()) is not None:
            self.query_one(Conversation).add("answer", event.text)
            self._run("send the answer", lambda: (session.answer(event.text), snapshot(session))[1], self._show)

    @on(AreaSelected)
    def _area(self, event: AreaSelected) -> None:
        self.query_one(EvidencePane).show(self._risks.get(event.area))

    def action_skip(self) -> None:
        """Ask me later: the question comes back after the others."""
        if (session := self._session_for_action()) is not None and not session.finished:
            self.query_one(Conversation).add("answer", "*(skipped: ask me later)*")
            self._run("skip the question", lambda: (session.skip(), snapshot(session))[1], self._show)

    def action_why(self) -> None:
        """Explain why the current question matters."""
        if (session := self._session_for_action()) is not None and not session.finished:
            self._run("explain the question", session.why, self._explained)

    def _explained(self, text: str) -> None:
        self.query_one(Conversation).add("why", f"**Why this matters:** {text or 'no more to say.'}")

    def action_done(self) -> None:
        """Stop asking and show the plan."""
        if (session := self._session_for_action()) is not None:
            self.query_one(Conversation).add("notice", "Building the plan…")
            self._run("build the plan", session.finish, self._show_plan)

    def action_export(self) -> None:
        """Write the report (or the preview so far) as Markdown, JSON and HTML."""
        if (session := self._session_for_action()) is None:
            return
        folder, stem = self.export_dir, f"poc-advisor-{session.thread_id}"
        self._run("export the report", lambda: export_report(session.report or session.preview(), folder, stem),
                  self._exported)  # fmt: skip

    def _exported(self, paths: list[Path]) -> None:
        names = "\n".join(p.name for p in paths)
        self.notify(f"{names}\nin {paths[0].parent}", title="Exported", timeout=8)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Skip, why and done belong to the interview, not to the plan screen."""
        return not (action in {"skip", "why", "done"} and isinstance(self.screen, PlanScreen))

    def action_help(self) -> None:
        """List the keys."""
        self.notify(KEYS_HELP, title="Keys", timeout=12)


def make_app(
    advisor: Advisor,
    *,
    brief: Brief | str | Path | None = None,
    resume: str | None = None,
    max_questions: int | None = None,
    export_dir: Path | None = None,
) -> AdvisorApp:
    """The chat app around an injected Advisor: a new interview from brief, or the session resume names."""
    return AdvisorApp(advisor, brief=brief, resume=resume, max_questions=max_questions, export_dir=export_dir)
