"""Severity per area from the evidence, and the verdict from the severities."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.domain.areas import AREA_IDS, AREA_TITLES, AreaId
from advisor.domain.evidence import Evidence, Fact
from advisor.domain.risk import AreaRisk, Severity, Verdict

REFERENCE_MONTHS = (18.0, 36.0)
"""Typical POC-to-production duration (reference figures: teams estimate 3-6 months, 5-10x too low)."""
SHORT_TIMELINE_MONTHS = 6.0
"""A stated timeline at or under this is inside the 3-6 month range teams typically underestimate with."""


@dataclass(frozen=True)
class ScoringRules:
    """The bars code applies to evidence weights (sum of confidences); documented in the README."""

    high_weight: float = 0.7
    """Weight of blocker evidence needed for 'high'."""
    medium_weight: float = 0.45
    """Weight of any gap evidence needed for 'medium'."""
    mitigation_dominance: float = 1.5
    """Mitigation outweighing gaps by this factor lowers the severity one step."""
    max_evidence: int = 4
    """Quotes kept per area in the report."""


def timeline_evidence(facts: list[Fact]) -> list[Evidence]:
    """A stated timeline in the range teams underestimate with is evidence about expectations."""
    for fact in facts:
        if fact.kind == "timeline_months" and isinstance(fact.value, float) and fact.value <= SHORT_TIMELINE_MONTHS:
            return [
                Evidence(
                    area="expectations",
                    quote=fact.quote,
                    source=fact.source,
                    polarity="risk",
                    strength="medium",
                    confidence=0.7,
                    cues=[
                        f"timeline check: {fact.value:g} months stated vs {REFERENCE_MONTHS[0]:g}-"
                        f"{REFERENCE_MONTHS[1]:g} months typical from POC to production"
                    ],
                )
            ]
    return []


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen: dict[tuple[str, str], Evidence] = {}
    for item in evidence:
        key = (item.area, item.quote)
        rank = (item.polarity == "risk" and item.strength == "high", item.confidence)
        if key not in seen or rank > (
            seen[key].polarity == "risk" and seen[key].strength == "high",
            seen[key].confidence,
        ):
            seen[key] = item
    return list(seen.values())


def score_area(area: AreaId, evidence: list[Evidence], rules: ScoringRules) -> AreaRisk:
    """Severity of one area: blockers make it high, partial gaps medium, proven mitigation lowers it."""
    title = AREA_TITLES[area]
    if not evidence:
        return AreaRisk(
            area=area, title=title, severity="none", status="unknown", confidence=0.0,
            rationale="The text says nothing about this area; it is an open question, not a finding.",
        )  # fmt: skip
    high = sum(e.confidence for e in evidence if e.polarity == "risk" and e.strength == "high")
    medium = sum(e.confidence for e in evidence if e.polarity == "risk" and e.strength == "medium")
    mitigation = sum(e.confidence for e in evidence if e.polarity == "mitigation")
    gaps = high + medium
    severity: Severity
    if high >= rules.high_weight:
        severity = "high"
        rationale = "The team's own words describe a production blocker here."
    elif gaps >= rules.medium_weight:
        severity = "medium"
        rationale = "There is partial evidence of a gap here."
    elif gaps > 0:
        severity = "low"
        rationale = "A weak sign of a gap, not enough to act on alone."
    else:
        severity = "none"
        rationale = "The text shows this area handled."
    if mitigation > 0 and severity in ("high", "medium") and mitigation >= rules.mitigation_dominance * gaps:
        severity = "medium" if severity == "high" else "low"
        rationale += " Stated mitigations outweigh it, so it is rated one step lower."
    ranked = sorted(
        evidence,
        key=lambda e: (
            -(e.polarity == "risk") if severity in ("high", "medium") else -(e.polarity == "mitigation"),
            -(e.strength == "high"),
            -e.confidence,
            e.source,
        ),
    )
    support = high if severity == "high" else (gaps if severity in ("medium", "low") else mitigation)
    confidence = round(min(1.0, support / (gaps + mitigation) * min(1.0, 0.5 + 0.25 * len(evidence))), 3)
    return AreaRisk(
        area=area, title=title, severity=severity, status="evidenced", confidence=confidence,
        rationale=rationale, evidence=ranked[: rules.max_evidence],
    )  # fmt: skip


def score_risks(evidence: list[Evidence], facts: list[Fact], rules: ScoringRules | None = None) -> list[AreaRisk]:
    """All ten areas in fixed order."""
    rules = rules or ScoringRules()
    pool = _dedupe(evidence)
    risks = [score_area(area, [e for e in pool if e.area == area], rules) for area in AREA_IDS]
    timeline = timeline_evidence(facts)
    if timeline:
        # A 3-6 month timeline is only a problem when there is work to do before production: with a blocker
        # open it is itself a blocker, with conditions open it is a condition, and otherwise just a note.
        others = [r for r in risks if r.area != "expectations"]
        blockers = [r.title for r in others if r.severity == "high"]
        conditions = [r.title for r in others if r.severity == "medium"]
        item = timeline[0]
        if blockers:
            item.strength, item.confidence = "high", 0.9
            item.cues.append(f"blockers still open: {', '.join(blockers)}")
        elif conditions:
            item.confidence = 0.6
            item.cues.append(f"conditions still open: {', '.join(conditions)}")
        else:
            item.confidence = 0.2
            item.cues.append("nothing else open, so the timeline is plausible")
        merged = _dedupe([*pool, *timeline])
        index = AREA_IDS.index("expectations")
        risks[index] = score_area("expectations", [e for e in merged if e.area == "expectations"], rules)
    return risks


def decide_verdict(risks: list[AreaRisk]) -> tuple[Verdict, str]:
    """Any high -> not_ready; only mediums -> ready_with_conditions; otherwise ready."""
    highs = [r.title for r in risks if r.severity == "high"]
    mediums = [r.title for r in risks if r.severity == "medium"]
    if highs:
        return "not_ready", f"Production blockers in: {', '.join(highs)}."
    if mediums:
        return "ready_with_conditions", f"No blockers; conditions to meet in: {', '.join(mediums)}."
    unknown = sum(r.status == "unknown" for r in risks)
    note = f" {unknown} areas are still unknown; see the open questions." if unknown else ""
    return "ready", "No evidenced blocker or partial gap." + note
