"""Typed shapes of the knowledge files; a malformed file fails loudly at load time, not mid-assessment."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from advisor.domain.areas import AreaId
from advisor.domain.plan import Phase

ThreePointSpec = tuple[float, float, float]


class Card(BaseModel):
    """One failure-mode card (knowledge/cards/<area>.md)."""

    area: AreaId = Field(description="The risk area the card describes.")
    title: str = Field(description="Card title.")
    crosswalk: dict[str, list[str] | str] = Field(
        default_factory=dict, description="Mappings to ML Test Score, NIST AI RMF, ISO/IEC 42001, EU AI Act."
    )
    sources: list[str] = Field(default_factory=list, description="Where the card's facts come from.")
    sections: dict[str, str] = Field(description="Markdown section heading -> body.")
    path: str = Field(description="File the card was read from, relative to the knowledge folder.")


class SignalBank(BaseModel):
    """Labelled example sentences for one area (knowledge/signals/<area>.yaml)."""

    area: AreaId = Field(description="The risk area.")
    topic_terms: list[str] = Field(description="Words and phrases that show a sentence is about this area.")
    gap_high: list[str] = Field(description="Sentences showing a production blocker.")
    gap_medium: list[str] = Field(description="Sentences showing partial evidence of a gap.")
    mitigation: list[str] = Field(description="Sentences showing the area handled or not applicable.")
    neutral: list[str] = Field(default_factory=list, description="On-topic sentences with no risk signal.")


ChoiceReading = Literal["mitigation", "gap_medium", "gap_high", "none"]
"""How code reads a picked quick answer."""


class Question(BaseModel):
    """An interview question from knowledge/questions.yaml."""

    id: str = Field(description="Unique id, prefixed with the area id.")
    area: AreaId = Field(description="Area the answer informs.")
    priority: int = Field(ge=1, le=3, description="1 = ask first.")
    text: str = Field(description="The question as shown to the team.")
    why: str = Field(description="Why the answer matters.")
    choices: list[str] = Field(default_factory=list, description="Quick answers, if any.")
    readings: list[ChoiceReading] = Field(
        default_factory=list,
        description="What each quick answer means for the area, in the order of choices: mitigation, "
        'gap_medium, gap_high, or none (an answer that settles nothing, such as "Don\'t know").',
    )
    follow_up: str = Field(default="", description="Sharper follow-up for a vague answer.")

    @model_validator(mode="after")
    def _one_reading_per_choice(self) -> Question:
        if self.readings and len(self.readings) != len(self.choices):
            raise ValueError(f"{self.id}: {len(self.readings)} readings for {len(self.choices)} choices")
        return self


class RemediationSpec(BaseModel):
    """A catalog action before it is sized for a project (knowledge/remediation.yaml)."""

    id: str = Field(description="Unique kebab-case id.")
    title: str = Field(description="What to do.")
    area: AreaId = Field(description="Area it addresses.")
    addresses: list[str] = Field(description="Severities that trigger it: 'high' and/or 'medium'.")
    phase: Phase = Field(description="foundation, build or launch.")
    roles: dict[str, float] = Field(description="Share of effort per role id.")
    effort_weeks: dict[str, ThreePointSpec] = Field(description="Person-weeks [low, likely, high] per scale.")
    depends_on: list[str] = Field(default_factory=list, description="Actions that must finish first.")
    run_cost_share: float = Field(ge=0, le=1, description="Yearly upkeep effort as a share of build effort.")
    run_infra_usd_per_year: dict[str, float] = Field(default_factory=dict, description="Yearly infra spend per scale.")
    why: str = Field(description="What it removes from the path to production.")
    done_when: str = Field(default="", description="Completion criterion.")

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> RemediationSpec:
        total = sum(self.roles.values())
        if abs(total - 1.0) > 0.02:
            raise ValueError(f"action {self.id}: role shares sum to {total:.2f}, not 1")
        for scale in ("small", "medium", "large"):
            low, likely, high = self.effort_weeks[scale]
            if not low <= likely <= high:
                raise ValueError(f"action {self.id}: effort for {scale} is not ordered low <= likely <= high")
        return self


class Role(BaseModel):
    """A role with its yearly salary and where the figure comes from."""

    title: str = Field(description="Human title.")
    annual_salary_usd: float = Field(gt=0, description="Median yearly salary before loading.")
    source: str = Field(description="Source of the figure, or 'assumption: ...'.")


class Rates(BaseModel):
    """Default rates (knowledge/rates.yaml), overridable by the user."""

    currency: str = Field(default="USD", description="Currency of all amounts.")
    working_weeks_per_year: float = Field(gt=0, description="Weeks a person works per year.")
    loaded_cost_multiplier: float = Field(gt=0, description="Salary -> employer cost multiplier.")
    assumptions: list[str] = Field(default_factory=list, description="Stated assumptions.")
    roles: dict[str, Role] = Field(description="Role id -> role.")

    def weekly_cost(self, role: str) -> float:
        """Loaded cost of one person-week of a role."""
        spec = self.roles[role]
        return spec.annual_salary_usd * self.loaded_cost_multiplier / self.working_weeks_per_year
