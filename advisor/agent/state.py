"""Graph state: a narrow input in front of the internal state."""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from advisor.domain.brief import Brief
from advisor.domain.evidence import Evidence, Fact
from advisor.domain.plan import Plan
from advisor.domain.report import OpenQuestion, Report
from advisor.domain.risk import AreaRisk, KnowledgeCitation, Verdict


class AssessmentInput(TypedDict):
    """What a caller provides."""

    brief: Brief
    """The brief accepted by intake."""


class AssessmentState(TypedDict, total=False):
    """Everything the nodes read and write."""

    brief: Brief
    """The brief accepted by intake."""
    evidence: list[Evidence]
    """Evidence proposed by the reasoner."""
    facts: list[Fact]
    """Checkable facts read from the text."""
    notices: Annotated[list[str], operator.add]
    """Things the user should know about the input (appended by several nodes)."""
    fallbacks: Annotated[list[str], operator.add]
    """Steps that fell back to the offline engine."""
    knowledge: dict[str, list[KnowledgeCitation]]
    """Retrieved passages per area."""
    risks: list[AreaRisk]
    """Scored areas, fixed order."""
    verdict: Verdict
    """Decided from the severities."""
    verdict_reason: str
    """Why the verdict."""
    open_questions: list[OpenQuestion]
    """Questions for unknown areas."""
    plan: Plan
    """The costed, scheduled plan."""
    warnings: list[str]
    """Consistency problems found by review."""
    report: Report
    """The final report."""
