"""Interview sessions: one conversation thread = one resumable, checkpointed interview."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal

from langgraph.types import Command
from pydantic import BaseModel, Field

from advisor.agent.finalize import all_evidence, current_risks, preview_report
from advisor.agent.nodes import classify_reply
from advisor.domain.interview import AskedQuestion, PendingQuestion
from advisor.domain.report import Report
from advisor.domain.risk import AreaRisk

if TYPE_CHECKING:
    from advisor.api import Advisor

EventKind = Literal["question_asked", "evidence_found", "score_changed", "plan_ready"]


class SessionError(LookupError):
    """No such session, or an action that does not fit the session's state."""


class InterviewEvent(BaseModel):
    """Something a host may want to render as progress."""

    kind: EventKind = Field(description="question_asked, evidence_found, score_changed or plan_ready.")
    thread_id: str = Field(description="The session it happened in.")
    data: dict[str, Any] = Field(default_factory=dict, description="Details: the question, evidence or change.")


class SessionInfo(BaseModel):
    """A line in the list of sessions."""

    thread_id: str = Field(description="Session id (the LangGraph thread id).")
    brief: str = Field(description="Name of the brief the interview started from.")
    asked: int = Field(description="Questions put so far.")
    finished: bool = Field(description="Whether the report has been produced.")
    verdict: str | None = Field(default=None, description="Verdict of the finished report.")


class Session:
    """A resumable interview. Every turn is on disk before the next question is returned."""

    def __init__(self, advisor: Advisor, thread_id: str) -> None:
        self._advisor = advisor
        self.thread_id = thread_id
        self._lock = threading.Lock()
        self._listeners: list[Callable[[InterviewEvent], None]] = []
        self.events: list[InterviewEvent] = []

    @property
    def config(self) -> dict[str, Any]:
        """The LangGraph config naming this thread."""
        return {"configurable": {"thread_id": self.thread_id}}

    def _values(self) -> dict[str, Any]:
        return dict(self._advisor.interview_graph.get_state(self.config).values)

    @property
    def question(self) -> PendingQuestion | None:
        """The question waiting for a reply (None once finished)."""
        values = self._values()
        pending = values.get("pending")
        return None if values.get("report") is not None else pending

    @property
    def finished(self) -> bool:
        """Whether the report has been produced."""
        return self._values().get("report") is not None

    @property
    def report(self) -> Report | None:
        """The final report, once finished."""
        report: Report | None = self._values().get("report")
        return None if report is None else self._advisor.shown(report)

    @property
    def transcript(self) -> list[AskedQuestion]:
        """Questions asked and what was answered, in order."""
        asked: list[AskedQuestion] = self._values().get("asked", [])
        return asked

    def scorecard(self) -> list[AreaRisk]:
        """The ten areas scored on the evidence so far (for a live view)."""
        return current_risks(self._values(), self._advisor.context)

    def preview(self) -> Report:
        """The report as it would be if the interview stopped now."""
        return self._advisor.shown(preview_report(self._values(), self._advisor.context))

    def subscribe(self, listener: Callable[[InterviewEvent], None]) -> None:
        """Call listener with every event from now on."""
        self._listeners.append(listener)

    def answer(self, text: str) -> PendingQuestion | None:
        """Answer the current question; returns the next one (None when the interview is over)."""
        return self._turn(text)

    def skip(self) -> PendingQuestion | None:
        """Ask me later: the question comes back after the others."""
        return self._turn("skip")

    def why(self) -> str:
        """Why the current question matters, with the knowledge passage it rests on."""
        question = self._turn("why")
        return question.explanation if question else ""

    def finish(self) -> Report:
        """Stop asking and produce the report; unknowns become open questions."""
        if not self.finished:
            self._turn("done")
        report = self.report
        assert report is not None
        return report

    def _waiting_values(self) -> dict[str, Any]:
        """The state before a turn; SessionError unless a question is waiting for its reply."""
        values = self._values()
        if values.get("report") is not None:
            raise SessionError(f"session {self.thread_id} is finished")
        if values.get("pending") is None:
            raise SessionError(f"session {self.thread_id} has no question waiting")
        return values

    def _turn(self, reply: str) -> PendingQuestion | None:
        with self._lock:
            before = self._waiting_values()
            limit = self._advisor.settings.max_brief_bytes
            self._advisor.interview_graph.invoke(
                Command(resume=reply[:limit]), self.config, context=self._advisor.context, durability="sync"
            )
            after = self._values()
        if after.get("report") is not None:
            # Recorded once, on the turn that produced it: re-reading a finished session is not a new report.
            self._advisor.record(self._advisor.shown(after["report"]))
        self._emit(before, after)
        return None if after.get("report") is not None else after.get("pending")

    def _emit(self, before: dict[str, Any], after: dict[str, Any]) -> None:
        new_evidence = all_evidence(after)[len(all_evidence(before)) :]
        events = [
            InterviewEvent(kind="evidence_found", thread_id=self.thread_id, data=e.model_dump()) for e in new_evidence
        ]
        ctx = self._advisor.context
        old = {r.area: r.severity for r in current_risks(before, ctx)}
        for risk in current_risks(after, ctx):
            if old.get(risk.area) != risk.severity:
                data = {"area": risk.area, "from": old.get(risk.area), "to": risk.severity}
                events.append(InterviewEvent(kind="score_changed", thread_id=self.thread_id, data=data))
        if after.get("report") is not None:
            events.append(
                InterviewEvent(kind="plan_ready", thread_id=self.thread_id, data={"verdict": after["report"].verdict})
            )
        elif after.get("pending") is not None and after["pending"] != before.get("pending"):
            events.append(
                InterviewEvent(kind="question_asked", thread_id=self.thread_id, data=after["pending"].model_dump())
            )
        self.publish(events)

    def publish(self, events: list[InterviewEvent]) -> None:
        """Record events and hand them to listeners."""
        self.events.extend(events)
        for event in events:
            for listener in self._listeners:
                listener(event)

    async def aanswer(self, text: str) -> PendingQuestion | None:
        """answer() without blocking the event loop."""
        return await asyncio.to_thread(self.answer, text)

    async def askip(self) -> PendingQuestion | None:
        """skip() without blocking the event loop."""
        return await asyncio.to_thread(self.skip)

    async def awhy(self) -> str:
        """why() without blocking the event loop."""
        return await asyncio.to_thread(self.why)

    async def afinish(self) -> Report:
        """finish() without blocking the event loop."""
        return await asyncio.to_thread(self.finish)

    # Streaming: for a face that shows the plan at once and the LLM's narrative as it is written.

    @property
    def fallbacks(self) -> list[str]:
        """LLM steps handed to the offline engine so far (the endpoint down, say), one line each."""
        return list(self._values().get("fallbacks", []))

    @staticmethod
    def reply_kind(text: str) -> str:
        """How the interview reads a reply: 'why', 'skip', 'done' or 'answer'."""
        return classify_reply(text)

    def reply_streaming(self, text: str) -> Iterator[Report | str]:
        """answer(), skip() or finish() by the reply's words, streaming the report when the reply ends the interview.

        Yields nothing while the interview goes on (read `question` next). When it ends: the draft report
        first (the plan, with the offline narrative), then the narrative's chunks as an LLM writes them, then
        the final report. Its summary is the streamed text if that passed the same guard as the unstreamed
        narrative (no invented figure, verdict unchanged), else the offline narrative, which a face showing
        the chunks puts in their place. The offline engine streams no chunks. Consume it to the end: the
        session is locked until then.
        """
        with self._lock:
            before = self._waiting_values()
            context = dataclasses.replace(self._advisor.context, stream_narrative=True)
            limit = self._advisor.settings.max_brief_bytes
            for update in self._advisor.interview_graph.stream(
                Command(resume=text[:limit]), self.config, context=context, durability="sync", stream_mode="custom"
            ):
                if isinstance(update, dict) and isinstance(update.get("draft"), Report):
                    yield self._advisor.shown(update["draft"])
                elif isinstance(update, dict) and isinstance(update.get("narrative"), str):
                    yield update["narrative"]
            after = self._values()
        report = after.get("report")
        if report is not None:
            self._advisor.record(self._advisor.shown(report))
        self._emit(before, after)
        if report is not None:
            yield self._advisor.shown(report)

    def finish_streaming(self) -> Iterator[Report | str]:
        """finish(), streaming as reply_streaming() does; a finished session yields its report alone."""
        report = self.report
        if report is not None:
            yield report
            return
        yield from self.reply_streaming("done")
