"""Per-area risk as code scores it from the evidence."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from advisor.domain.areas import AreaId
from advisor.domain.evidence import Evidence

Severity = Literal["high", "medium", "low", "none"]
Status = Literal["evidenced", "unknown"]
Verdict = Literal["not_ready", "ready_with_conditions", "ready"]

SEVERITY_RANK: dict[str, int] = {"none": 0, "low": 1, "medium": 2, "high": 3}


class KnowledgeCitation(BaseModel):
    """A knowledge passage a finding rests on."""

    id: str = Field(description="Chunk id in the knowledge store.")
    title: str = Field(description="Card or document title and section.")
    source: str = Field(description="The knowledge file (or user document) the passage comes from.")
    excerpt: str = Field(description="The first words of the passage.")
    score: float = Field(description="Retrieval similarity (cosine, 0-1, higher is closer).")


class AreaRisk(BaseModel):
    """The scored risk of one area."""

    area: AreaId = Field(description="Risk area id.")
    title: str = Field(description="Human title of the area.")
    severity: Severity = Field(description="high (a production blocker), medium (partial), low, or none.")
    status: Status = Field(description="'evidenced' when the text speaks to this area, else 'unknown'.")
    confidence: float = Field(ge=0.0, le=1.0, description="Confidence of the severity, from the evidence (0-1).")
    rationale: str = Field(description="One sentence saying why code gave this severity.")
    evidence: list[Evidence] = Field(default_factory=list, description="Quotes that support the severity.")
    knowledge: list[KnowledgeCitation] = Field(
        default_factory=list, description="Knowledge passages retrieved for this area."
    )
