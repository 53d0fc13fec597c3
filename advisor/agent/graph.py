"""Wiring: intake → extract → retrieve → assess → plan → review → report."""

from __future__ import annotations

import itertools
from typing import Any

from langgraph.graph import END, START, StateGraph

from advisor.agent import nodes
from advisor.agent.context import AdvisorContext
from advisor.agent.state import AssessmentInput, AssessmentState


def build_graph() -> StateGraph[Any, Any, Any, Any]:
    """The uncompiled graph; each caller compiles it with its own checkpointer."""
    graph: StateGraph[Any, Any, Any, Any] = StateGraph(
        AssessmentState, context_schema=AdvisorContext, input_schema=AssessmentInput
    )
    steps = ["intake", "extract", "retrieve", "assess", "plan", "review", "report"]
    for step in steps:
        graph.add_node(step, getattr(nodes, step))
    graph.add_edge(START, steps[0])
    for before, after in itertools.pairwise(steps):
        graph.add_edge(before, after)
    graph.add_edge(steps[-1], END)
    return graph
