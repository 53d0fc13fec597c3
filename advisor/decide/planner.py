"""Choosing, sizing, costing and scheduling remediation actions for the evidenced risks."""

from __future__ import annotations

from advisor.decide.costing import blended_weekly_rate, pert, run_rule_check, scale_point, total
from advisor.decide.schedule import MAX_STAFF_PER_ACTION, PHASE_ORDER, Task, critical_path, schedule
from advisor.decide.scoring import REFERENCE_MONTHS
from advisor.domain.evidence import Fact
from advisor.domain.plan import Action, CostSummary, PhaseSpan, Plan, Scale, Timeline
from advisor.domain.risk import AreaRisk
from advisor.knowledge.loader import KnowledgeBase

DEFAULT_CAPACITY_FTE = 4.0
"""People assumed free for remediation when neither the brief nor the settings say."""
WEEKS_PER_MONTH = 52 / 12


def choose_scale(facts: list[Fact]) -> tuple[Scale, str]:
    """Project scale from the brief's own words, medium when it does not say."""
    for fact in facts:
        if fact.kind == "scale" and fact.value in ("small", "large"):
            return fact.value, f'The brief says: "{fact.quote[:140]}"'  # type: ignore[return-value]
    return "medium", "The brief gives no clear sign of scale, so medium is assumed."


CONFIGURED_CAPACITY = "set in the advisor's settings"
"""The plan's capacity_source when the capacity came from the settings (`--capacity`, ADVISOR_CAPACITY_FTE)."""


def choose_capacity(facts: list[Fact], configured: float | None) -> tuple[float, str]:
    """People available for remediation: configured, else the stated team size (2-10), else a default."""
    if configured:
        return configured, CONFIGURED_CAPACITY
    for fact in facts:
        if fact.kind == "team_size" and isinstance(fact.value, float):
            return max(2.0, min(10.0, fact.value)), f"team size stated in the brief ({fact.value:g})"
    return DEFAULT_CAPACITY_FTE, f"default assumption of {DEFAULT_CAPACITY_FTE:g} people"


def select_actions(risks: list[AreaRisk], kb: KnowledgeBase) -> dict[str, tuple[str, bool]]:
    """Action id -> (triggering severity, pulled in only as a dependency), in catalog order."""
    chosen: dict[str, tuple[str, bool]] = {}
    for risk in risks:
        if risk.severity not in ("high", "medium"):
            continue
        for spec in kb.actions.values():
            if spec.area == risk.area and risk.severity in spec.addresses:
                chosen[spec.id] = (risk.severity, False)
    queue = list(chosen)
    while queue:
        for dep in kb.actions[queue.pop()].depends_on:
            if dep not in chosen:
                chosen[dep] = ("dependency", True)
                queue.append(dep)
    return {a: chosen[a] for a in kb.actions if a in chosen}


def _value_per_year(facts: list[Fact]) -> float | None:
    for fact in facts:
        if fact.kind == "value_per_year" and isinstance(fact.value, float):
            return fact.value
    return None


def _realism(stated: float | None, weeks_p50: float, weeks_p90: float) -> str:
    plan_months = weeks_p50 / WEEKS_PER_MONTH
    ref = f"{REFERENCE_MONTHS[0]:g}-{REFERENCE_MONTHS[1]:g} months is typical from POC to production"
    if stated is None:
        return f"The brief states no timeline. This plan alone needs about {plan_months:.0f} months (P50); {ref}."
    ratio = plan_months / stated if stated else float("inf")
    if ratio > 1.2:
        return (
            f"The team expects {stated:g} months; the remediation plan alone needs about {plan_months:.0f} months "
            f"(P50, {weeks_p90 / WEEKS_PER_MONTH:.0f} at P90), {ratio:.1f}x the stated figure; {ref}."
        )
    return f"The team expects {stated:g} months and the plan fits in about {plan_months:.0f} months (P50); {ref}."


def build_plan(risks: list[AreaRisk], facts: list[Fact], kb: KnowledgeBase, capacity: float | None = None) -> Plan:
    """A costed, scheduled plan: every number traces to an action and a stated assumption."""
    scale, scale_reason = choose_scale(facts)
    capacity_fte, capacity_source = choose_capacity(facts, capacity)
    rates = kb.rates
    actions: list[Action] = []
    for action_id, (severity, as_dependency) in select_actions(risks, kb).items():
        spec = kb.actions[action_id]
        effort = pert(*spec.effort_weeks[scale])
        weekly = blended_weekly_rate(spec.roles, rates)
        run = spec.run_cost_share * effort.p50 * weekly + spec.run_infra_usd_per_year.get(scale, 0.0)
        actions.append(
            Action(
                id=spec.id, title=spec.title, area=spec.area, addresses=severity, why=spec.why,
                done_when=spec.done_when, roles=spec.roles, effort=effort, cost=scale_point(effort, weekly),
                run_cost_per_year=round(run), phase=spec.phase,
                depends_on=[d for d in spec.depends_on], added_as_dependency=as_dependency,
            )
        )  # fmt: skip
    tasks = {a.id: Task(a.id, a.effort.likely, a.phase, tuple(a.depends_on)) for a in actions}
    tasks_p90 = {a.id: Task(a.id, a.effort.p90, a.phase, tuple(a.depends_on)) for a in actions}
    slots = schedule(tasks, capacity_fte)
    weeks_p90 = max((s.end for s in schedule(tasks_p90, capacity_fte).values()), default=0.0)
    critical = critical_path(tasks, capacity_fte)
    for action in actions:
        action.start_week, action.end_week = slots[action.id].start, slots[action.id].end
        action.critical = action.id in critical
    actions.sort(key=lambda a: (a.start_week, PHASE_ORDER[a.phase], a.id))
    weeks_p50 = max((a.end_week for a in actions), default=0.0)
    phases = [
        PhaseSpan(
            phase=phase,  # type: ignore[arg-type]
            start_week=min(a.start_week for a in members),
            end_week=max(a.end_week for a in members),
            actions=[a.id for a in members],
        )
        for phase in PHASE_ORDER
        if (members := [a for a in actions if a.phase == phase])
    ]
    build = total([a.cost for a in actions])
    run_per_year = float(sum(a.run_cost_per_year for a in actions))
    share, rule = run_rule_check(run_per_year, build.p50)
    value = _value_per_year(facts)
    payback = round(build.p50 / (value / 12), 1) if value and build.p50 else None
    stated = next((f.value for f in facts if f.kind == "timeline_months" and isinstance(f.value, float)), None)
    assumptions = [
        *rates.assumptions,
        f"Effort ranges are for a {scale} project: {scale_reason}",
        "Each action's three-point effort is read as a PERT distribution: P50 is its mean, P90 adds 1.28 "
        "standard deviations; totals add means and variances, treating actions as independent.",
        f"Cost = effort x the loaded weekly rate of each role's share (salary x {rates.loaded_cost_multiplier:g} "
        f"/ {rates.working_weeks_per_year:g} weeks).",
        f"Schedule: {capacity_fte:g} people available ({capacity_source}), at most {MAX_STAFF_PER_ACTION:g} "
        "on one action; actions start when their dependencies finish.",
        "Yearly run cost = each action's upkeep share of its P50 build effort plus its yearly infrastructure.",
    ]
    cost = CostSummary(
        currency=rates.currency, effort_weeks=total([a.effort for a in actions]), build=build,
        run_per_year=round(run_per_year), run_share_of_build=share, run_rule_check=rule,
        value_per_year=value, payback_months=payback, assumptions=assumptions,
    )  # fmt: skip
    timeline = Timeline(
        weeks_p50=round(weeks_p50, 1), weeks_p90=round(weeks_p90, 1), capacity_fte=capacity_fte,
        capacity_source=capacity_source, critical_path=critical, phases=phases, stated_months=stated,
        reference_months=REFERENCE_MONTHS, realism=_realism(stated, weeks_p50, weeks_p90),
    )  # fmt: skip
    return Plan(scale=scale, scale_reason=scale_reason, actions=actions, cost=cost, timeline=timeline)
