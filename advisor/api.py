"""The public API: an Advisor with its dependencies injected, sync and async."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from advisor.agent.context import AdvisorContext
from advisor.agent.graph import build_graph
from advisor.domain.brief import Brief
from advisor.domain.report import Report
from advisor.intake import brief_from_text, read_brief
from advisor.knowledge.loader import KnowledgeBase, cached_knowledge
from advisor.reasoning.base import Reasoner
from advisor.reasoning.offline import OfflineReasoner, cached_polarity_model
from advisor.settings import Settings
from advisor.store.chroma_store import KnowledgeStore, open_store


class Advisor:
    """Assesses briefs. Build one per process and reuse it: the model and store load once."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        knowledge: KnowledgeBase | None = None,
        store: KnowledgeStore | None = None,
        reasoner: Reasoner | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.knowledge = knowledge or cached_knowledge(self.settings.knowledge_dir, self.settings.rates_file)
        self.store = store or open_store(self.settings.chroma_path)
        self.rebuilt = self.store.ensure_built(self.knowledge)
        self.reasoner: Reasoner = reasoner or OfflineReasoner(
            self.store.signals(), self.knowledge.signals, polarity_model=cached_polarity_model(self.store)
        )
        self._graph = build_graph().compile()
        self._lock = threading.Lock()

    @property
    def context(self) -> AdvisorContext:
        """The runtime context handed to the graph."""
        return AdvisorContext(
            reasoner=self.reasoner, store=self.store, knowledge=self.knowledge, capacity_fte=self.settings.capacity_fte
        )

    def assess(self, brief: Brief | str | Path, name: str = "brief") -> Report:
        """Assess a Brief, a path to a brief file, or brief text."""
        if isinstance(brief, Path):
            brief = read_brief(brief, self.settings.max_brief_bytes)
        elif isinstance(brief, str):
            brief = brief_from_text(brief, name=name, max_bytes=self.settings.max_brief_bytes)
        result: dict[str, Any] = self._graph.invoke({"brief": brief}, context=self.context)
        report: Report = result["report"]
        return report

    async def aassess(self, brief: Brief | str | Path, name: str = "brief") -> Report:
        """assess() without blocking the event loop."""
        return await asyncio.to_thread(self.assess, brief, name)
