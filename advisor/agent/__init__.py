"""The LangGraph graph: state, runtime context, nodes and wiring."""

from advisor.agent.context import AdvisorContext
from advisor.agent.graph import build_graph
from advisor.agent.state import AssessmentInput, AssessmentState

__all__ = ["AdvisorContext", "AssessmentInput", "AssessmentState", "build_graph"]
