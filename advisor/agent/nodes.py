"""Graph nodes: each reads the state and the injected context, and returns an update."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from advisor.agent.context import AdvisorContext
from advisor.agent.state import AssessmentState
from advisor.decide.planner import build_plan
from advisor.decide.review import review_plan
from advisor.decide.scoring import decide_verdict, score_risks
from advisor.domain.report import OpenQuestion, Provenance, Report
from advisor.domain.risk import KnowledgeCitation
from advisor.narrative import summarise
from advisor.version import __version__


def _body(text: str) -> str:
    """A card chunk without its title line, flattened to one line."""
    head, _, rest = text.partition("\n")
    return " ".join((rest or head).split())


def intake(state: AssessmentState) -> dict[str, Any]:
    """Carry intake's notices into the run."""
    return {"notices": list(state["brief"].notices)}


def extract(state: AssessmentState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    """The reasoner proposes evidence and facts from the brief."""
    brief = state["brief"]
    found = runtime.context.reasoner.extract(brief.text, source=f"brief:{brief.name}")
    # Intake already reported the language; do not say it twice.
    notices = [n for n in found.notices if not n.startswith("The text does not look like English")]
    return {"evidence": found.evidence, "facts": found.facts, "notices": notices, "fallbacks": found.fallbacks}


def retrieve(state: AssessmentState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    """Knowledge passages for each evidenced area, queried with the team's own words."""
    ctx = runtime.context
    by_area: dict[str, list[str]] = {}
    for item in state.get("evidence", []):
        by_area.setdefault(item.area, []).append(item.quote)
    areas = sorted(by_area)
    found = ctx.store.search_groups([by_area[area][:3] for area in areas], areas, k=ctx.passages_per_area)
    knowledge: dict[str, list[KnowledgeCitation]] = {}
    for area, passages in zip(areas, found, strict=True):
        knowledge[area] = [
            KnowledgeCitation(id=p.id, title=p.title, source=p.source, excerpt=_body(p.text)[:240], score=p.score)
            for p in passages
        ]
    return {"knowledge": knowledge}


def assess(state: AssessmentState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    """Code scores every area and decides the verdict."""
    ctx = runtime.context
    risks = score_risks(state.get("evidence", []), state.get("facts", []), ctx.rules)
    knowledge = state.get("knowledge", {})
    for risk in risks:
        risk.knowledge = knowledge.get(risk.area, [])
    verdict, reason = decide_verdict(risks)
    questions = []
    for risk in risks:
        if risk.status == "unknown":
            bank = ctx.knowledge.questions_for(risk.area)
            if bank:
                q = bank[0]
                questions.append(OpenQuestion(area=risk.area, question_id=q.id, text=q.text, why=q.why))
    return {"risks": risks, "verdict": verdict, "verdict_reason": reason, "open_questions": questions}


def plan(state: AssessmentState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    """Code chooses, costs and schedules the remediation actions."""
    ctx = runtime.context
    return {"plan": build_plan(state["risks"], state.get("facts", []), ctx.knowledge, ctx.capacity_fte)}


def review(state: AssessmentState) -> dict[str, Any]:
    """Check the plan and the quotes before anything is reported."""
    return {"warnings": review_plan(state["risks"], state["plan"], state["brief"].text)}


def report(state: AssessmentState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    """Assemble the versioned report."""
    ctx = runtime.context
    brief = state["brief"]
    result = Report(
        brief=brief.name,
        verdict=state["verdict"],
        verdict_reason=state["verdict_reason"],
        summary="",
        risks=state["risks"],
        facts=state.get("facts", []),
        open_questions=state.get("open_questions", []),
        plan=state["plan"],
        notices=state.get("notices", []),
        warnings=state.get("warnings", []),
        provenance=Provenance(
            engine=ctx.reasoner.engine,
            model=ctx.reasoner.model,
            knowledge_version=ctx.knowledge.version,
            advisor_version=__version__,
            brief_sha256=brief.sha256,
            fallbacks=state.get("fallbacks", []),
        ),
    )
    result.summary = summarise(result)
    return {"report": result}
