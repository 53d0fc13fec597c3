"""Domain models: plain pydantic, no LangGraph, no store."""

from advisor.domain.areas import AREA_IDS, AREA_MEANINGS, AREA_TITLES, AreaId
from advisor.domain.brief import Brief
from advisor.domain.evidence import Evidence, Fact, Polarity
from advisor.domain.plan import Action, CostSummary, Phase, PhaseSpan, Plan, Scale, ThreePoint, Timeline
from advisor.domain.report import SCHEMA_VERSION, OpenQuestion, Provenance, Report
from advisor.domain.risk import SEVERITY_RANK, AreaRisk, KnowledgeCitation, Severity, Status, Verdict

__all__ = [
    "AREA_IDS",
    "AREA_MEANINGS",
    "AREA_TITLES",
    "SCHEMA_VERSION",
    "SEVERITY_RANK",
    "Action",
    "AreaId",
    "AreaRisk",
    "Brief",
    "CostSummary",
    "Evidence",
    "Fact",
    "KnowledgeCitation",
    "OpenQuestion",
    "Phase",
    "PhaseSpan",
    "Plan",
    "Polarity",
    "Provenance",
    "Report",
    "Scale",
    "Severity",
    "Status",
    "ThreePoint",
    "Timeline",
    "Verdict",
]
