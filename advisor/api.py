"""The public API: an Advisor with its dependencies injected, sync and async."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
import uuid
from pathlib import Path
from typing import Any

from advisor.agent.context import AdvisorContext
from advisor.agent.graph import build_graph
from advisor.audit import Command, audit_report
from advisor.domain.brief import Brief
from advisor.domain.report import Report
from advisor.intake import brief_from_text
from advisor.knowledge.loader import KnowledgeBase, cached_knowledge
from advisor.portfolio.briefs import read_any_brief
from advisor.privacy.report import redact_report
from advisor.reasoning.base import Reasoner
from advisor.reasoning.offline import OfflineReasoner, cached_polarity_model
from advisor.session import InterviewEvent, Session, SessionError, SessionInfo
from advisor.settings import Settings
from advisor.store.chroma_store import KnowledgeStore, open_checked, open_remote_store, recover_store

logger = logging.getLogger("advisor")


def empty_brief(name: str = "interview") -> Brief:
    """A brief with no text, for an interview started from nothing."""
    return Brief(name=name, source="interview", text="", sha256=hashlib.sha256(b"").hexdigest())


class Advisor:
    """Assesses briefs and runs interviews. Build one per process and reuse it: the model and store load once.

    Thread-safe: many sessions may be driven at once from several threads.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        knowledge: KnowledgeBase | None = None,
        store: KnowledgeStore | None = None,
        reasoner: Reasoner | None = None,
        checkpointer: Any | None = None,
        audit_as: Command | None = "api",
    ) -> None:
        """Build the advisor; any dependency not given is made from settings.

        audit_as names the command recorded in the audit log for each report this advisor hands out
        (assessments and finished interviews); None leaves the recording to the caller, as the CLI does
        once a report is written.
        """
        self.settings = settings or Settings()
        self.audit_as = audit_as
        self.knowledge = knowledge or cached_knowledge(self.settings.knowledge_dir, self.settings.rates_file)
        self.notices: list[str] = []
        """What the user should know: what it took to start (a store rebuilt after corruption), an audit gap."""
        if store is None and self.settings.chroma_url:
            store = open_remote_store(self.settings.chroma_url, self.settings.data_dir / "chroma-server-cache")
        if store is None:
            store, reason = open_checked(self.settings.chroma_path)
            if store is None:
                # Same recovery as the CLI: the broken store is moved aside, never deleted.
                store, recovery, (restored, _unreadable) = recover_store(
                    self.settings.chroma_path, reason or "unknown error", self.knowledge
                )
                self.notices.append(
                    f"The knowledge store at {self.settings.chroma_path} was unreadable ({recovery.reason}); "
                    f"rebuilt it with {restored} of your documents (the old one is at {recovery.moved_to})."
                )
        self.store = store
        self.rebuilt = self.store.ensure_built(self.knowledge)
        self._token_price: float | None = None
        if reasoner is None:
            reasoner = OfflineReasoner(
                self.store.signals(), self.knowledge.signals, polarity_model=cached_polarity_model(self.store)
            )
            if self.settings.engine == "llm":
                from advisor.llm.settings import LLMSettings
                from advisor.reasoning.llm import build_llm_reasoner

                llm_settings = LLMSettings()
                self._token_price = llm_settings.usd_per_million_tokens
                # The offline engine stays as the fallback for any step the endpoint cannot do.
                reasoner = build_llm_reasoner(llm_settings, fallback=reasoner)
        self.reasoner: Reasoner = reasoner
        # The next start in any process can then read the fixed collections without opening Chroma.
        self.store.save_snapshot()
        self._graph = build_graph().compile()
        self._checkpointer = checkpointer
        self._interview_graph: Any | None = None
        self._lock = threading.Lock()

    @property
    def context(self) -> AdvisorContext:
        """The runtime context handed to the graph."""
        return AdvisorContext(
            reasoner=self.reasoner,
            store=self.store,
            knowledge=self.knowledge,
            capacity_fte=self.settings.capacity_fte,
            token_price_usd=self._token_price,
        )

    @property
    def interview_graph(self) -> Any:
        """The graph compiled with the checkpointer (created from settings on first use)."""
        with self._lock:
            if self._interview_graph is None:
                if self._checkpointer is None:
                    from advisor.checkpoint import make_checkpointer

                    self._checkpointer = make_checkpointer(self.settings)
                self._interview_graph = build_graph().compile(checkpointer=self._checkpointer)
            return self._interview_graph

    def _brief(self, brief: Brief | str | Path, name: str) -> Brief:
        if isinstance(brief, Path):
            return read_any_brief(brief, self.settings.max_brief_bytes)
        if isinstance(brief, str):
            return brief_from_text(brief, name=name, max_bytes=self.settings.max_brief_bytes)
        return brief

    def assess(self, brief: Brief | str | Path, name: str = "brief") -> Report:
        """Assess a Brief, a path to a brief file, or brief text."""
        result: dict[str, Any] = self._graph.invoke({"brief": self._brief(brief, name)}, context=self.context)
        return self.record(self.shown(result["report"]))

    def shown(self, report: Report) -> Report:
        """The report as this advisor hands it out: redacted when settings.redact_reports is on."""
        return redact_report(report) if self.settings.redact_reports else report

    def record(self, report: Report) -> Report:
        """Append the report to the audit log (unless audit_as is None or auditing is off) and return it.

        A log that cannot be written does not cost the user the report: the problem joins `notices` and
        the advisor's logger, so the gap in the trail is known.
        """
        if self.audit_as is not None:
            warning = audit_report(self.settings, report, self.audit_as)
            if warning is not None:
                self.notices.append(warning)
                logger.warning(warning)
        return report

    async def aassess(self, brief: Brief | str | Path, name: str = "brief") -> Report:
        """assess() without blocking the event loop."""
        return await asyncio.to_thread(self.assess, brief, name)

    def start_interview(
        self,
        brief: Brief | str | Path | None = None,
        *,
        thread_id: str | None = None,
        max_questions: int | None = None,
        name: str = "interview",
    ) -> Session:
        """Read what the team gives (a brief, a paragraph, nothing) and return the session at its first question."""
        parsed = empty_brief(name) if brief is None else self._brief(brief, name)
        session = Session(self, thread_id or uuid.uuid4().hex[:12])
        graph = self.interview_graph
        if graph.get_state(session.config).values:
            raise SessionError(f"session {session.thread_id} already exists; resume it instead")
        graph.invoke(
            {"brief": parsed, "interactive": True, "max_questions": max_questions or self.settings.max_questions},
            session.config,
            context=self.context,
            durability="sync",
        )
        if (report := session.report) is not None:  # a brief can settle every area before any question
            self.record(report)
        first = session.question
        if first is not None:
            session.publish(
                [InterviewEvent(kind="question_asked", thread_id=session.thread_id, data=first.model_dump())]
            )
        return session

    async def astart_interview(self, brief: Brief | str | Path | None = None, **kwargs: Any) -> Session:
        """start_interview() without blocking the event loop."""
        return await asyncio.to_thread(lambda: self.start_interview(brief, **kwargs))

    def resume(self, thread_id: str) -> Session:
        """The session with this id, exactly where it was left."""
        session = Session(self, thread_id)
        if not self.interview_graph.get_state(session.config).values:
            raise SessionError(f"no session {thread_id}")
        return session

    def sessions(self) -> list[SessionInfo]:
        """Every stored session, newest first."""
        seen: dict[str, SessionInfo] = {}
        # Collect ids first: the SQLite saver holds its lock while a listing is being iterated.
        listed = self.interview_graph.checkpointer.list(None)
        thread_ids = list(dict.fromkeys(c.config["configurable"]["thread_id"] for c in listed))
        for thread_id in thread_ids:
            values = self.interview_graph.get_state({"configurable": {"thread_id": thread_id}}).values
            if not values.get("interactive"):
                continue
            report = values.get("report")
            seen[thread_id] = SessionInfo(
                thread_id=thread_id,
                brief=values["brief"].name,
                asked=len(values.get("asked", [])),
                finished=report is not None,
                verdict=report.verdict if report is not None else None,
            )
        return list(seen.values())

    def delete_session(self, thread_id: str) -> None:
        """Remove a session and all its checkpoints."""
        self.resume(thread_id)
        self.interview_graph.checkpointer.delete_thread(thread_id)
