"""The chat screen: conversation, progress and answer on the left; live scorecard and evidence on the right."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header

from advisor.domain.interview import PendingQuestion
from advisor.domain.report import Report
from advisor.domain.risk import AreaRisk
from advisor.session import Session
from tui.export import export_report
from tui.messages import AnswerSubmitted, AreaSelected
from tui.opening import Opening
from tui.screens.plan import PlanScreen
from tui.widgets.answer_box import AnswerBox
from tui.widgets.conversation import Conversation, question_markdown
from tui.widgets.evidence_pane import EvidencePane
from tui.widgets.progress_line import ProgressLine
from tui.widgets.scorecard import Scorecard

if TYPE_CHECKING:
    from advisor.api import Advisor


@dataclass(frozen=True)
class Snapshot:
    """The session as the screen shows it, read off the UI thread."""

    question: PendingQuestion | None
    risks: list[AreaRisk]
    report: Report | None
    fallbacks: list[str]


def snapshot(session: Session) -> Snapshot:
    """Read what the screen needs from the session (blocking: call from a worker)."""
    return Snapshot(session.question, session.scorecard(), session.report, session.fallbacks)


def first_line(exc: BaseException) -> str:
    """An exception as one readable line (never a traceback)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class ChatScreen(Screen[None]):
    """One interview: the advisor asks, the team answers, the scorecard fills in, ctrl+d shows the plan."""

    # priority: the answer Input binds ctrl+w/ctrl+d/ctrl+e to editing keys of its own.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "skip", "Skip", priority=True),
        Binding("ctrl+w", "why", "Why?", priority=True),
        Binding("ctrl+d", "done", "Done", priority=True),
        Binding("ctrl+e", "export", "Export", priority=True),
        Binding("ctrl+n", "app.new_session", "New", priority=True, show=False),
        Binding("ctrl+o", "app.sessions", "Sessions", priority=True),
    ]

    def __init__(self, advisor: Advisor, opening: Opening, export_dir: Path) -> None:
        super().__init__()
        self.advisor = advisor
        self.opening = opening
        self.export_dir = export_dir
        self.session: Session | None = None
        self.busy = False
        self._shown: PendingQuestion | None = None
        self._risks: dict[str, AreaRisk] = {}
        self._fallbacks_seen = 0
        self._reasons_said: set[str] = set()
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
        """Open the session in a worker, so the screen is drawn before the brief is read."""
        starting = "Resuming the session…" if self.opening.resume else "Reading the brief…"
        self.query_one(Conversation).add("notice", starting if self.opening.brief or self.opening.resume else
                                         "Starting the interview…")  # fmt: skip
        self._run("open the session", self._open, self._opened)

    # Work off the UI thread -------------------------------------------------------------------------

    @work(thread=True, group="advisor", exit_on_error=False)
    def _call(self, label: str, job: Callable[[], Any], then: Callable[[Any], None]) -> None:
        try:
            result = job()
        except Exception as exc:  # shown as a notice; the session stays as it was
            self.app.call_from_thread(self._failed, label, exc)
        else:
            self.app.call_from_thread(then, result)
        finally:
            self.app.call_from_thread(self._set_busy, False)

    def _run(self, label: str, job: Callable[[], Any], then: Callable[[Any], None]) -> None:
        self._set_busy(True)
        self._call(label, job, then)

    def _open(self) -> tuple[Session, Snapshot]:
        session = self.opening.open(self.advisor)
        return session, snapshot(session)

    def _failed(self, label: str, exc: Exception) -> None:
        message = first_line(exc)
        self.notify(f"Could not {label}: {message}", title="Error", severity="error", timeout=10)
        if self.session is None:
            self.query_one(Conversation).add(
                "notice", f"Could not {label}: {message}. ctrl+o lists the sessions, ctrl+n starts a new one."
            )

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
        return self.session

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
        if snap.report is not None:
            self.run_worker(self._plan_screen(snap.report))

    def _show(self, snap: Snapshot) -> None:
        self._risks = {r.area: r for r in snap.risks}
        self.query_one(Scorecard).show(snap.risks)
        self.query_one(ProgressLine).show(snap.question, snap.risks)
        self.query_one(AnswerBox).offer(snap.question)
        if snap.question is not None and snap.question != self._shown:
            self.query_one(Conversation).add("question", question_markdown(snap.question))
        self._shown = snap.question
        # An LLM step that fell back to the offline engine (endpoint down, say) is said, not silent; each
        # distinct reason once, or a dead endpoint would raise two notices a turn.
        for fallback in snap.fallbacks[self._fallbacks_seen :]:
            reason = fallback.split(": ", 1)[-1]
            if reason not in self._reasons_said:
                self._reasons_said.add(reason)
                self.notify(f"The offline engine took over: {fallback}", title="LLM unavailable", severity="warning")
        self._fallbacks_seen = len(snap.fallbacks)

    async def _plan_screen(self, report: Report, *, streaming: bool = False) -> PlanScreen:
        """Push the plan screen and wait until it is drawn, so streamed chunks have somewhere to go."""
        assert self.session is not None
        self.query_one(Conversation).add("notice", f"The plan is ready: **{report.verdict}**. ctrl+d shows it again.")
        screen = PlanScreen(report, self.session.thread_id, self.export_dir, streaming=streaming)
        await self.app.push_screen(screen)
        return screen

    # User actions ---------------------------------------------------------------------------------

    @on(AnswerSubmitted)
    def _answered(self, event: AnswerSubmitted) -> None:
        kind = Session.reply_kind(event.text)
        if kind == "why":
            self.action_why()
        elif kind == "skip":
            self.action_skip()
        elif kind == "done":
            self.action_done()
        elif (session := self._session_for_action()) is not None:
            if session.finished:
                self.notify("The interview is over: ctrl+d shows the plan.", severity="warning")
                return
            self.query_one(Conversation).add("answer", event.text)
            self._set_busy(True)
            self._turn(session, "send the answer", lambda: session.reply_streaming(event.text))

    @on(AreaSelected)
    def _area(self, event: AreaSelected) -> None:
        self.query_one(EvidencePane).show(self._risks.get(event.area))

    def action_skip(self) -> None:
        """Ask me later: the question comes back after the others."""
        if (session := self._session_for_action()) is not None and not session.finished:
            self.query_one(Conversation).add("answer", "*(skipped: ask me later)*")
            self._set_busy(True)
            self._turn(session, "skip the question", lambda: session.reply_streaming("skip"))

    def action_why(self) -> None:
        """Explain why the current question matters."""
        if (session := self._session_for_action()) is not None and not session.finished:
            self._run("explain the question", session.why, self._explained)

    def _explained(self, text: str) -> None:
        self.query_one(Conversation).add("why", f"**Why this matters:** {text or 'no more to say.'}")

    def action_done(self) -> None:
        """Stop asking and show the plan; an LLM narrative streams in on the plan screen."""
        if (session := self._session_for_action()) is None:
            return
        report = session.report
        if report is not None:
            self.run_worker(self._plan_screen(report))
            return
        self.query_one(Conversation).add("notice", "Building the plan…")
        self._set_busy(True)
        self._turn(session, "build the plan", session.finish_streaming)

    @work(thread=True, group="advisor", exit_on_error=False)
    def _turn(self, session: Session, label: str, updates: Callable[[], Iterator[Report | str]]) -> None:
        """One turn off the UI thread; when it ends the interview: draft plan, narrative chunks, final report."""
        call = self.app.call_from_thread
        screen: PlanScreen | None = None
        try:
            for update in updates():
                if isinstance(update, str):
                    if screen is not None:
                        call(screen.stream, update)
                elif screen is None:
                    # call_from_thread awaits the coroutine (the screen is drawn before the first chunk).
                    screen = call(self._plan_screen, update, streaming=True)  # type: ignore[arg-type]
                else:
                    call(screen.finish, update)
            if screen is not None and screen.streaming:  # a finished session yields its report alone
                call(screen.finish, screen.report)
            call(self._show, snapshot(session))
        except Exception as exc:  # a notice; the session keeps every answer already given
            call(self._failed, label, exc)
            if screen is not None:
                call(screen.abandon_stream)
        finally:
            call(self._set_busy, False)

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
