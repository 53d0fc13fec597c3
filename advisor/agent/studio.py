"""Entry point for LangGraph Studio / LangGraph Server (see langgraph.json).

The server compiles the graph with its own checkpointer and passes a JSON context per run, which cannot
carry a store or a reasoner. StudioContext fills those from the advisor's settings (ADVISOR_* variables):
built once per server process, here at the edge, never inside a node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from advisor.agent.context import AdvisorContext
from advisor.agent.graph import build_graph
from advisor.decide.scoring import ScoringRules
from advisor.knowledge.loader import KnowledgeBase
from advisor.reasoning.base import Reasoner
from advisor.store.chroma_store import KnowledgeStore


@lru_cache(maxsize=1)
def _parts() -> AdvisorContext:
    from advisor.api import Advisor

    return Advisor().context


@dataclass(frozen=True)
class StudioContext(AdvisorContext):
    """AdvisorContext whose parts default to those the settings describe."""

    reasoner: Reasoner = field(default_factory=lambda: _parts().reasoner)
    store: KnowledgeStore = field(default_factory=lambda: _parts().store)
    knowledge: KnowledgeBase = field(default_factory=lambda: _parts().knowledge)
    rules: ScoringRules = field(default_factory=ScoringRules)


def make_graph() -> Any:
    """The graph for LangGraph Server; pass `{"brief": ..., "interactive": true}` and an empty context."""
    return build_graph(context_schema=StudioContext).compile()
