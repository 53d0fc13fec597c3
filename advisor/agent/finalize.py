"""The steps from evidence to report as plain functions: graph nodes call them, and so does a preview."""

from __future__ import annotations

from typing import Any

from advisor.agent.context import AdvisorContext
from advisor.decide.planner import build_plan
from advisor.decide.questions import choose_question
from advisor.decide.review import review_plan
from advisor.decide.scoring import decide_verdict, score_risks
from advisor.domain.evidence import Evidence
from advisor.domain.interview import AskedQuestion
from advisor.domain.report import OpenQuestion, Provenance, Report
from advisor.domain.risk import AreaRisk, KnowledgeCitation
from advisor.narrative import summarise
from advisor.version import __version__


def all_evidence(state: dict[str, Any]) -> list[Evidence]:
    """Evidence from the brief and from every answer."""
    return [*state.get("evidence", []), *state.get("answer_evidence", [])]


def current_risks(state: dict[str, Any], ctx: AdvisorContext) -> list[AreaRisk]:
    """The scorecard as things stand (no knowledge citations)."""
    return score_risks(all_evidence(state), state.get("facts", []), ctx.rules)


def _body(text: str) -> str:
    """A card chunk without its title line, flattened to one line."""
    head, _, rest = text.partition("\n")
    return " ".join((rest or head).split())


def retrieve_knowledge(evidence: list[Evidence], ctx: AdvisorContext) -> dict[str, list[KnowledgeCitation]]:
    """Knowledge passages for each evidenced area, queried with the team's own words."""
    by_area: dict[str, list[str]] = {}
    for item in evidence:
        by_area.setdefault(item.area, []).append(item.quote)
    areas = sorted(by_area)
    found = ctx.store.search_groups([by_area[area][:3] for area in areas], areas, k=ctx.passages_per_area)
    return {
        area: [
            KnowledgeCitation(id=p.id, title=p.title, source=p.source, excerpt=_body(p.text)[:240], score=p.score)
            for p in passages
        ]
        for area, passages in zip(areas, found, strict=True)
    }


def open_questions(risks: list[AreaRisk], asked: list[AskedQuestion], ctx: AdvisorContext) -> list[OpenQuestion]:
    """For each area still unknown, the question that would settle it (skipped ones included)."""
    answered = {a.question_id for a in asked if a.status == "answered"}
    questions = []
    for risk in risks:
        if risk.status != "unknown":
            continue
        for question in ctx.knowledge.questions_for(risk.area):
            if question.id not in answered:
                questions.append(
                    OpenQuestion(area=risk.area, question_id=question.id, text=question.text, why=question.why)
                )
                break
    return questions


def assess_update(state: dict[str, Any], ctx: AdvisorContext) -> dict[str, Any]:
    """Scores, verdict and open questions."""
    risks = current_risks(state, ctx)
    knowledge = state.get("knowledge", {})
    for risk in risks:
        risk.knowledge = knowledge.get(risk.area, [])
    verdict, reason = decide_verdict(risks)
    return {
        "risks": risks,
        "verdict": verdict,
        "verdict_reason": reason,
        "open_questions": open_questions(risks, state.get("asked", []), ctx),
    }


def compose_report(state: dict[str, Any], ctx: AdvisorContext) -> Report:
    """The versioned report from a state whose risks, verdict and plan are set."""
    brief = state["brief"]
    report = Report(
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
            llm_calls=state.get("llm_calls", 0),
            tokens=state.get("tokens", 0),
            estimated_llm_cost_usd=ctx.token_price_usd * state.get("tokens", 0) / 1e6 if ctx.token_price_usd else None,
        ),
    )
    report.summary = summarise(report)
    return report


def preview_report(state: dict[str, Any], ctx: AdvisorContext) -> Report:
    """The report as it would be if the interview stopped now (the plan can be produced at any point)."""
    values = dict(state)
    values["knowledge"] = retrieve_knowledge(all_evidence(values), ctx)
    values.update(assess_update(values, ctx))
    values["plan"] = build_plan(values["risks"], values.get("facts", []), ctx.knowledge, ctx.capacity_fte)
    values["warnings"] = review_plan(values["risks"], values["plan"], values["brief"].text)
    return compose_report(values, ctx)


def next_question(state: dict[str, Any], ctx: AdvisorContext, risks: list[AreaRisk]) -> tuple[Any, str]:
    """The question bank entry to ask next given the current scorecard, or None."""
    asked = state.get("asked", [])
    if sum(a.status != "skipped" for a in asked) >= state.get("max_questions", 15):
        return None, "question limit reached"
    return choose_question(risks, ctx.knowledge, asked)
