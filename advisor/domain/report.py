"""The report: the versioned JSON contract for batch, evals and embedding."""

from __future__ import annotations

from pydantic import BaseModel, Field

from advisor.domain.evidence import Fact
from advisor.domain.plan import Plan
from advisor.domain.risk import AreaRisk, Verdict

SCHEMA_VERSION = "1.0"


class OpenQuestion(BaseModel):
    """Something the advisor could not tell from the text and needs answered."""

    area: str = Field(description="Risk area the question is about.")
    question_id: str = Field(description="Question bank id.")
    text: str = Field(description="The question.")
    why: str = Field(description="Why the answer matters.")


class Provenance(BaseModel):
    """What produced this report, so it can be traced and reproduced."""

    engine: str = Field(description="Reasoning engine: 'offline' or 'llm'.")
    model: str = Field(description="Embedding or language model used.")
    knowledge_version: str = Field(description="Content hash of the knowledge base.")
    advisor_version: str = Field(description="Version of poc-advisor.")
    brief_sha256: str = Field(description="Hash of the brief text.")
    fallbacks: list[str] = Field(default_factory=list, description="Steps that fell back to the offline engine.")
    llm_calls: int = Field(default=0, description="Requests sent to an LLM endpoint for this report.")
    tokens: int = Field(default=0, description="Tokens those requests used (prompt + completion).")
    estimated_llm_cost_usd: float | None = Field(
        default=None, description="tokens x the configured price per million tokens, when a price is set."
    )
    redacted: bool = Field(
        default=False, description="Whether personal data in quotes and narrative is shown as placeholders."
    )


class Report(BaseModel):
    """The full assessment of one brief."""

    schema_version: str = Field(default=SCHEMA_VERSION, description="Version of this JSON contract.")
    brief: str = Field(description="Name of the brief assessed.")
    verdict: Verdict = Field(description="not_ready (any high), ready_with_conditions (only mediums), or ready.")
    verdict_reason: str = Field(description="One sentence naming the areas that decided the verdict.")
    summary: str = Field(description="A short narrative of the findings.")
    risks: list[AreaRisk] = Field(description="All ten areas, in fixed order.")
    facts: list[Fact] = Field(default_factory=list, description="Checkable facts read from the brief.")
    open_questions: list[OpenQuestion] = Field(description="Questions for the areas still unknown or thin.")
    plan: Plan = Field(description="The costed, scheduled remediation plan.")
    notices: list[str] = Field(default_factory=list, description="Things the user should know about the input.")
    warnings: list[str] = Field(default_factory=list, description="Problems the review step found in the plan.")
    provenance: Provenance = Field(description="Engine, model, knowledge and advisor versions.")
