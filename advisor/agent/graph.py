"""Wiring. Assessment: intake → extract → retrieve → assess → plan → review → report.

An interview adds a loop made of edges (one question per visit of `ask`, which interrupts):
extract → select_question → ask → take_answer → select_question … → retrieve → assess → …
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from advisor.agent import nodes
from advisor.agent.context import AdvisorContext
from advisor.agent.state import AssessmentInput, AssessmentState


def _after_extract(state: AssessmentState) -> str:
    return "select_question" if state.get("interactive") else "retrieve"


def _after_select(state: AssessmentState) -> str:
    return "ask" if state.get("pending") is not None else "retrieve"


def _after_ask(state: AssessmentState) -> str:
    kind = nodes.classify_reply(state.get("reply", ""))
    return {"why": "explain", "skip": "skip", "done": "retrieve", "answer": "take_answer"}[kind]


def _after_answer(state: AssessmentState) -> str:
    # A pending question after an answer is the one follow-up to a vague reply.
    return "ask" if state.get("pending") is not None else "select_question"


def build_graph(context_schema: type[AdvisorContext] = AdvisorContext) -> StateGraph[Any, Any, Any, Any]:
    """The uncompiled graph; each caller compiles it with its own checkpointer."""
    graph: StateGraph[Any, Any, Any, Any] = StateGraph(
        AssessmentState, context_schema=context_schema, input_schema=AssessmentInput
    )
    for name in (
        "intake", "extract", "select_question", "ask", "explain", "skip", "take_answer",
        "retrieve", "assess", "plan", "review", "report",
    ):  # fmt: skip
        graph.add_node(name, getattr(nodes, name))
    graph.add_edge(START, "intake")
    graph.add_edge("intake", "extract")
    graph.add_conditional_edges("extract", _after_extract, ["select_question", "retrieve"])
    graph.add_conditional_edges("select_question", _after_select, ["ask", "retrieve"])
    graph.add_conditional_edges("ask", _after_ask, ["explain", "skip", "retrieve", "take_answer"])
    graph.add_edge("explain", "ask")
    graph.add_edge("skip", "select_question")
    graph.add_conditional_edges("take_answer", _after_answer, ["ask", "select_question"])
    for before, after in (("retrieve", "assess"), ("assess", "plan"), ("plan", "review"), ("review", "report")):
        graph.add_edge(before, after)
    graph.add_edge("report", END)
    return graph
