"""What changed between two assessments of the same project: a milestone view."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from advisor.domain.areas import AREA_IDS
from advisor.domain.plan import Action
from advisor.domain.report import Report
from advisor.domain.risk import SEVERITY_RANK, AreaRisk, Verdict
from advisor.narrative import money
from advisor.portfolio.rows import VERDICT_ORDER

FLAGGED = ("high", "medium")
RiskChangeKind = Literal["closed", "opened", "raised", "lowered"]


class RiskChange(BaseModel):
    """One area whose flagged severity moved."""

    area: str = Field(description="Risk area id.")
    title: str = Field(description="Human title of the area.")
    change: RiskChangeKind = Field(
        description="closed (was high/medium, now not), opened (now high/medium), raised or lowered."
    )
    old: str = Field(description="Old severity, or 'unknown' when the old brief was silent on the area.")
    new: str = Field(description="New severity, or 'unknown' when the new brief is silent on the area.")


class ActionRef(BaseModel):
    """A plan action, by catalog id."""

    id: str = Field(description="Catalog id.")
    title: str = Field(description="What to do.")
    area: str = Field(description="Risk area it addresses.")


class Moved(BaseModel):
    """A figure before and after."""

    old: float = Field(description="Value in the old report.")
    new: float = Field(description="Value in the new report.")
    delta: float = Field(description="new - old.")
    percent: float | None = Field(description="Change relative to old, in percent; None when old is 0.")


class ReportDiff(BaseModel):
    """The milestone view between two reports of one project."""

    old_brief: str = Field(description="Brief name in the old report.")
    new_brief: str = Field(description="Brief name in the new report.")
    same_text: bool = Field(description="True when both reports were made from the identical brief text.")
    old_verdict: Verdict = Field(description="Verdict before.")
    new_verdict: Verdict = Field(description="Verdict after.")
    verdict_direction: Literal["improved", "worsened", "unchanged"] = Field(description="Which way the verdict moved.")
    closed: list[RiskChange] = Field(description="Risks no longer flagged.")
    opened: list[RiskChange] = Field(description="Risks newly flagged.")
    changed: list[RiskChange] = Field(description="Flagged risks whose severity was raised or lowered.")
    actions_added: list[ActionRef] = Field(description="Plan actions new in the new report.")
    actions_removed: list[ActionRef] = Field(description="Plan actions no longer needed.")
    currency: str = Field(description="Currency of the new report's figures.")
    build_p50: Moved = Field(description="Build cost at P50.")
    build_p90: Moved = Field(description="Build cost at P90.")
    run_per_year: Moved = Field(description="Yearly run cost.")
    timeline_weeks_p50: Moved = Field(description="Plan length in weeks at P50.")
    open_questions: Moved = Field(description="Number of open questions.")
    notes: list[str] = Field(default_factory=list, description="Caveats, e.g. different knowledge or engine.")


def _moved(old: float, new: float) -> Moved:
    percent = round(100 * (new - old) / old, 1) if old else None
    return Moved(old=old, new=new, delta=round(new - old, 2), percent=percent)


def _ref(action: Action) -> ActionRef:
    return ActionRef(id=action.id, title=action.title, area=action.area)


def _label(risk: AreaRisk) -> str:
    return risk.severity if risk.status == "evidenced" else "unknown"


def risk_change(old: AreaRisk, new: AreaRisk) -> RiskChange | None:
    """How one area moved between two reports, or None when its flag did not change."""
    was, now = old.severity in FLAGGED, new.severity in FLAGGED
    kind: RiskChangeKind
    if was and not now:
        kind = "closed"
    elif now and not was:
        kind = "opened"
    elif was and now and old.severity != new.severity:
        kind = "raised" if SEVERITY_RANK[new.severity] > SEVERITY_RANK[old.severity] else "lowered"
    else:
        return None
    return RiskChange(area=new.area, title=new.title, change=kind, old=_label(old), new=_label(new))


def diff_reports(old: Report, new: Report) -> ReportDiff:
    """Compare two reports of the same project (callers check that they are)."""
    old_risks = {r.area: r for r in old.risks}
    new_risks = {r.area: r for r in new.risks}
    changes = [
        change
        for area in AREA_IDS
        if area in old_risks and area in new_risks
        if (change := risk_change(old_risks[area], new_risks[area])) is not None
    ]
    old_actions = {a.id: a for a in old.plan.actions}
    new_actions = {a.id: a for a in new.plan.actions}
    step = VERDICT_ORDER[old.verdict] - VERDICT_ORDER[new.verdict]
    notes = []
    if old.provenance.knowledge_version != new.provenance.knowledge_version:
        notes.append("The two reports used different knowledge versions: some changes may come from the advisor.")
    if (old.provenance.engine, old.provenance.model) != (new.provenance.engine, new.provenance.model):
        notes.append("The two reports used different engines or models: some changes may come from the advisor.")
    if old.plan.cost.currency != new.plan.cost.currency:
        notes.append(f"Currencies differ ({old.plan.cost.currency} → {new.plan.cost.currency}): cost moves mix them.")
    oc, nc = old.plan.cost, new.plan.cost
    return ReportDiff(
        old_brief=old.brief,
        new_brief=new.brief,
        same_text=old.provenance.brief_sha256 == new.provenance.brief_sha256,
        old_verdict=old.verdict,
        new_verdict=new.verdict,
        verdict_direction="improved" if step > 0 else "worsened" if step < 0 else "unchanged",
        closed=[c for c in changes if c.change == "closed"],
        opened=[c for c in changes if c.change == "opened"],
        changed=[c for c in changes if c.change in ("raised", "lowered")],
        actions_added=[_ref(a) for i, a in new_actions.items() if i not in old_actions],
        actions_removed=[_ref(a) for i, a in old_actions.items() if i not in new_actions],
        currency=nc.currency,
        build_p50=_moved(oc.build.p50, nc.build.p50),
        build_p90=_moved(oc.build.p90, nc.build.p90),
        run_per_year=_moved(oc.run_per_year, nc.run_per_year),
        timeline_weeks_p50=_moved(old.plan.timeline.weeks_p50, new.plan.timeline.weeks_p50),
        open_questions=_moved(len(old.open_questions), len(new.open_questions)),
        notes=notes,
    )  # fmt: skip


def _direction_note(change: RiskChange) -> str:
    # Closed and opened say it in their heading; a severity change says which way.
    return f" ({change.change})" if change.change in ("raised", "lowered") else ""


def _signed_money(value: float, currency: str) -> str:
    return ("+" if value > 0 else "-" if value < 0 else "±") + money(abs(value), currency)


def _percent(moved: Moved) -> str:
    return f" ({moved.percent:+g}%)" if moved.percent is not None and moved.delta else ""


def diff_markdown(diff: ReportDiff) -> str:
    """The diff as Markdown a sponsor can read."""
    name = diff.new_brief if diff.old_brief == diff.new_brief else f"{diff.old_brief} → {diff.new_brief}"
    verdict = (
        f"{diff.old_verdict} → {diff.new_verdict} ({diff.verdict_direction})"
        if diff.old_verdict != diff.new_verdict
        else f"{diff.new_verdict} (unchanged)"
    )
    lines = [f"# What changed: {name}", "", f"**Verdict: {verdict}**", ""]
    if diff.same_text:
        lines += ["Both reports were made from the same brief text.", ""]
    lines += ["## Risks", ""]
    sections = (("Closed", diff.closed), ("Opened", diff.opened), ("Severity changed", diff.changed))
    for heading, items in sections:
        if items:
            lines.append(f"{heading} ({len(items)}):")
            lines += [f"- {c.title}: {c.old} → {c.new}{_direction_note(c)}" for c in items]
            lines.append("")
    if not (diff.closed or diff.opened or diff.changed):
        lines += ["No risk changed severity.", ""]
    lines += ["## Plan", ""]
    for heading, actions in (("Actions added", diff.actions_added), ("Actions removed", diff.actions_removed)):
        if actions:
            lines.append(f"{heading} ({len(actions)}):")
            lines += [f"- {a.title} ({a.area}, `{a.id}`)" for a in actions]
            lines.append("")
    if not (diff.actions_added or diff.actions_removed):
        lines += ["The same actions as before.", ""]
    cur = diff.currency
    lines += [
        "## Cost and timeline",
        "",
        "| | Before | After | Change |",
        "| --- | --- | --- | --- |",
        *[
            f"| {label} | {money(m.old, cur)} | {money(m.new, cur)} | {_signed_money(m.delta, cur)}{_percent(m)} |"
            for label, m in (
                ("Build cost P50", diff.build_p50),
                ("Build cost P90", diff.build_p90),
                ("Run cost per year", diff.run_per_year),
            )
        ],
        f"| Timeline P50 (weeks) | {diff.timeline_weeks_p50.old:g} | {diff.timeline_weeks_p50.new:g} | "
        f"{diff.timeline_weeks_p50.delta:+g}{_percent(diff.timeline_weeks_p50)} |",
        f"| Open questions | {diff.open_questions.old:g} | {diff.open_questions.new:g} | "
        f"{diff.open_questions.delta:+g} |",
        "",
    ]
    if diff.notes:
        lines += ["## Notes", "", *[f"- {n}" for n in diff.notes], ""]
    return "\n".join(lines)
