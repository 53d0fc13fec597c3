"""Graph state: a narrow input in front of the internal state."""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from advisor.domain.brief import Brief
from advisor.domain.evidence import Evidence, Fact
from advisor.domain.interview import AskedQuestion, PendingQuestion
from advisor.domain.plan import Plan
from advisor.domain.report import OpenQuestion, Report
from advisor.domain.risk import AreaRisk, KnowledgeCitation, Verdict


class AssessmentInput(TypedDict, total=False):
    """What a caller provides."""

    brief: Brief
    """The brief accepted by intake (may be empty for an interview started from nothing)."""
    interactive: bool
    """True to interview the team after reading the brief; False to assess the brief alone."""
    max_questions: int
    """Most questions an interview asks."""


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
    llm_calls: Annotated[int, operator.add]
    """Requests sent to an LLM endpoint so far."""
    tokens: Annotated[int, operator.add]
    """Tokens those requests used so far."""
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
    interactive: bool
    """Whether this run interviews the team."""
    max_questions: int
    """Most questions an interview asks."""
    answer_evidence: Annotated[list[Evidence], operator.add]
    """Evidence from the team's answers (appended turn by turn)."""
    asked: Annotated[list[AskedQuestion], operator.add]
    """Questions already put to the team, in order."""
    pending: PendingQuestion | None
    """The question waiting for a reply, if any."""
    reply: str
    """The last reply received."""
