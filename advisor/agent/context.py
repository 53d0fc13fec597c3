"""The typed runtime context: everything injected into nodes, never built inside them."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.decide.scoring import ScoringRules
from advisor.knowledge.loader import KnowledgeBase
from advisor.reasoning.base import Reasoner
from advisor.store.chroma_store import KnowledgeStore


@dataclass(frozen=True)
class AdvisorContext:
    """Run-scoped dependencies of the graph."""

    reasoner: Reasoner
    """Proposes evidence (offline or LLM)."""
    store: KnowledgeStore
    """The Chroma knowledge store (already built)."""
    knowledge: KnowledgeBase
    """The loaded knowledge files (questions, remediation catalog, rates)."""
    rules: ScoringRules = field(default_factory=ScoringRules)
    """Bars for severity."""
    capacity_fte: float | None = None
    """People available for remediation, when the user set it."""
    token_price_usd: float | None = None
    """Price per million LLM tokens, for the cost estimate in the provenance (None: not estimated)."""
    passages_per_area: int = 2
    """Knowledge passages cited per evidenced area."""
    stream_narrative: bool = False
    """Set by a streaming finish: the report node sends the draft report and the narrative's chunks to the
    graph's custom stream (an LLM narrates token by token) instead of waiting for the whole summary."""
