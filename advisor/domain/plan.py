"""The remediation plan: actions, three-point effort and cost, schedule and totals."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from advisor.domain.areas import AreaId

Phase = Literal["foundation", "build", "launch"]
Scale = Literal["small", "medium", "large"]


class ThreePoint(BaseModel):
    """A three-point estimate with the percentiles code derives from it."""

    low: float = Field(description="Optimistic value.")
    likely: float = Field(description="Most likely value.")
    high: float = Field(description="Pessimistic value.")
    p50: float = Field(description="Median under a PERT (beta) approximation.")
    p90: float = Field(description="90th percentile under a normal approximation of the PERT distribution.")


class Action(BaseModel):
    """One remediation action chosen for an evidenced risk."""

    id: str = Field(description="Catalog id of the action.")
    title: str = Field(description="What to do, in the imperative.")
    area: AreaId = Field(description="The risk area the action addresses.")
    addresses: str = Field(description="The severity that triggered it ('high' or 'medium').")
    why: str = Field(description="What it removes from the path to production.")
    done_when: str = Field(description="A checkable completion criterion.")
    roles: dict[str, float] = Field(description="Share of effort per role id; shares sum to 1.")
    effort: ThreePoint = Field(description="Effort in person-weeks.")
    cost: ThreePoint = Field(description="Build cost in the plan's currency.")
    run_cost_per_year: float = Field(description="Recurring yearly cost (effort to keep it running + infrastructure).")
    phase: Phase = Field(description="foundation, build or launch.")
    depends_on: list[str] = Field(default_factory=list, description="Action ids that must finish first.")
    start_week: float = Field(default=0.0, description="Scheduled start, weeks from plan start.")
    end_week: float = Field(default=0.0, description="Scheduled end, weeks from plan start.")
    critical: bool = Field(default=False, description="Whether the action lies on the critical path.")
    added_as_dependency: bool = Field(
        default=False, description="True when the action was pulled in only because another action needs it."
    )


class CostSummary(BaseModel):
    """Totals of the plan, each traceable to the actions and assumptions."""

    currency: str = Field(description="Currency of all amounts.")
    effort_weeks: ThreePoint = Field(description="Total effort in person-weeks.")
    build: ThreePoint = Field(description="Total build cost.")
    run_per_year: float = Field(description="Total recurring yearly cost.")
    run_share_of_build: float = Field(description="Yearly run cost divided by the P50 build cost.")
    run_rule_check: str = Field(description="How the run cost compares with the 10-50%-of-build rule of thumb.")
    value_per_year: float | None = Field(
        default=None, description="Value at stake per year, where the brief states it."
    )
    payback_months: float | None = Field(
        default=None, description="Months for the stated yearly value to repay the P50 build cost."
    )
    assumptions: list[str] = Field(default_factory=list, description="Assumptions behind every figure.")


class PhaseSpan(BaseModel):
    """Where one phase sits on the timeline."""

    phase: Phase = Field(description="Phase name.")
    start_week: float = Field(description="First week of the phase.")
    end_week: float = Field(description="Last week of the phase.")
    actions: list[str] = Field(description="Action ids in the phase.")


class Timeline(BaseModel):
    """The schedule and the realism check of the team's own timeline."""

    weeks_p50: float = Field(description="Scheduled length in weeks with most-likely durations.")
    weeks_p90: float = Field(description="Scheduled length in weeks with pessimistic-leaning durations.")
    capacity_fte: float = Field(description="People assumed available for remediation at once.")
    capacity_source: str = Field(description="Where the capacity figure came from (settings, brief or default).")
    critical_path: list[str] = Field(description="Action ids on the longest dependency chain.")
    phases: list[PhaseSpan] = Field(description="Phases in order.")
    stated_months: float | None = Field(default=None, description="The team's own timeline to production, if stated.")
    reference_months: tuple[float, float] = Field(
        description="Typical POC-to-production range from the reference figures (months)."
    )
    realism: str = Field(description="How the stated timeline compares with the plan and the reference figures.")


class Plan(BaseModel):
    """The costed, scheduled remediation plan."""

    scale: Scale = Field(description="Project scale used to pick effort ranges.")
    scale_reason: str = Field(description="Why this scale was chosen.")
    actions: list[Action] = Field(description="Actions in schedule order.")
    cost: CostSummary = Field(description="Totals and the checks on them.")
    timeline: Timeline = Field(description="Schedule and realism check.")
