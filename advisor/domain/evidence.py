"""Evidence: a quote from the team's own words, with where it came from and what it shows."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from advisor.domain.areas import AreaId

Polarity = Literal["risk", "mitigation"]
Strength = Literal["high", "medium"]


class Evidence(BaseModel):
    """One sentence of the brief (or an answer) that shows a gap or a mitigation in one area."""

    area: AreaId = Field(description="The risk area this evidence bears on.")
    quote: str = Field(description="The team's own words, verbatim from the source text.")
    source: str = Field(description="Where the quote came from: 'brief:<file>#s<n>' or 'answer:<question id>'.")
    polarity: Polarity = Field(
        description="'risk' when the quote shows a gap, 'mitigation' when it shows the gap handled."
    )
    strength: Strength = Field(
        description="For risks: 'high' when the quote shows a production blocker, 'medium' for partial evidence."
    )
    confidence: float = Field(ge=0.0, le=1.0, description="How sure the extractor is of area and polarity (0-1).")
    cues: list[str] = Field(
        default_factory=list,
        description="Why the extractor read it this way: matched example, negation, hedge or fact checks.",
    )


class Fact(BaseModel):
    """A checkable fact stated in the brief, such as a timeline or the value at stake."""

    kind: Literal["timeline_months", "value_per_year", "team_size", "scale"] = Field(description="Which fact this is.")
    value: float | str = Field(description="The normalised value: months, currency units per year, people, or a scale.")
    quote: str = Field(description="The words the fact was read from.")
    source: str = Field(description="Where the quote came from.")
