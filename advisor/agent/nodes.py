"""Graph nodes: each reads the state and the injected context, and returns an update."""

from __future__ import annotations

import re
from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from advisor.agent.context import AdvisorContext
from advisor.agent.finalize import (
    all_evidence,
    assess_update,
    compose_report,
    current_risks,
    next_question,
    retrieve_knowledge,
)
from advisor.agent.state import AssessmentState
from advisor.decide.planner import build_plan
from advisor.decide.quick_answers import picked_choice, quick_answer_evidence
from advisor.decide.review import review_plan
from advisor.domain.interview import AnswerStatus, AskedQuestion, PendingQuestion
from advisor.reasoning.base import Extraction, Judgement, StreamingNarrator, Wording

_WHY = re.compile(r"^\s*(?:why\??|why (?:do you|does it|is this) (?:ask|matter)\w*.*)\s*$", re.IGNORECASE)
_SKIP = re.compile(r"^\s*(?:skip|later|ask me later|pass)\s*[.!]?\s*$", re.IGNORECASE)
_DONE = re.compile(r"^\s*(?:done|finish|stop|that'?s all|quit|exit)\s*[.!]?\s*$", re.IGNORECASE)


def intake(state: AssessmentState) -> dict[str, Any]:
    """Carry intake's notices into the run."""
    return {"notices": list(state["brief"].notices)}


def extract(state: AssessmentState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    """The reasoner proposes evidence and facts from the brief."""
    brief = state["brief"]
    if not brief.text.strip():
        return {"evidence": [], "facts": []}
    found = runtime.context.reasoner.extract(brief.text, source=f"brief:{brief.name}")
    # Intake already reported the language; do not say it twice.
    notices = [n for n in found.notices if not n.startswith("The text does not look like English")]
    return {
        "evidence": found.evidence, "facts": found.facts, "notices": notices, "fallbacks": found.fallbacks,
        "llm_calls": found.llm_calls, "tokens": found.tokens,
    }  # fmt: skip


def select_question(state: AssessmentState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    """Code picks the question whose answer would change the plan most (None ends the interview)."""
    risks = current_risks(dict(state), runtime.context)
    question, _reason = next_question(dict(state), runtime.context, risks)
    if question is None:
        return {"pending": None}
    known = "\n".join(f"- {r.title}: {r.severity}" for r in risks if r.status == "evidenced")
    wording = runtime.context.reasoner.phrase_question(question.text, question.why, known)
    pending = PendingQuestion(
        question_id=question.id, area=question.area, text=wording.text, why=question.why,
        choices=question.choices, number=len(state.get("asked", [])) + 1,
        expected=state.get("max_questions", 15),
    )  # fmt: skip
    return {"pending": pending, **_spent(wording)}


def _spent(step: Wording | Judgement) -> dict[str, Any]:
    """State updates for what a reasoning step cost and whether it fell back."""
    update: dict[str, Any] = {"llm_calls": step.llm_calls, "tokens": step.tokens}
    if step.fallback:
        update["fallbacks"] = [step.fallback]
    return update


def ask(state: AssessmentState) -> dict[str, Any]:
    """Pause for the team's reply; the run resumes here with Command(resume=reply)."""
    pending = state["pending"]
    assert pending is not None
    reply = interrupt(pending.model_dump())
    return {"reply": str(reply)}


def explain(state: AssessmentState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    """Answer 'why?' with the question's reason and the knowledge passage it rests on; ask again."""
    pending = state["pending"]
    assert pending is not None
    passages = runtime.context.store.search(pending.text, k=1, area=pending.area)
    text = pending.why
    if passages:
        passage = passages[0]
        body = " ".join(passage.text.partition("\n")[2].split()) or passage.text
        text += f"\n\nFrom the knowledge base ({passage.title}): {body[:400]}"
    return {"pending": pending.model_copy(update={"explanation": text})}


def skip(state: AssessmentState) -> dict[str, Any]:
    """'skip' means 'ask me later': recorded, and the question comes back after the others."""
    pending = state["pending"]
    assert pending is not None
    asked = AskedQuestion(question_id=pending.question_id, area=pending.area, text=pending.text, status="skipped")
    return {"asked": [asked], "pending": None}


def take_answer(state: AssessmentState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    """Read evidence from the reply; a vague reply gets one sharper follow-up."""
    pending = state["pending"]
    assert pending is not None
    reply = state.get("reply", "")
    question = next(q for q in runtime.context.knowledge.questions if q.id == pending.question_id)
    choice = picked_choice(question, reply) if pending.choices else None
    if choice is not None:
        # A picked quick answer is read by the question bank, not a reasoner, and is always an answer.
        reply = choice
        found = Extraction(evidence=quick_answer_evidence(question, choice))
        judgement = Judgement(sufficient=True, reason="a quick answer")
    else:
        found = runtime.context.reasoner.extract(
            reply, source=f"answer:{pending.question_id}", area_hint=pending.area, context=pending.text
        )
        on_area = any(e.area == pending.area for e in found.evidence)
        judgement = runtime.context.reasoner.judge_answer(pending.text, reply, on_area)
    update: dict[str, Any] = {
        "answer_evidence": found.evidence,
        "notices": found.notices,
        "llm_calls": found.llm_calls + judgement.llm_calls,
        "tokens": found.tokens + judgement.tokens,
    }
    fallbacks = [*found.fallbacks, *([judgement.fallback] if judgement.fallback else [])]
    if fallbacks:
        update["fallbacks"] = fallbacks
    if not judgement.sufficient and not pending.is_follow_up and question.follow_up:
        update["pending"] = pending.model_copy(
            update={"text": question.follow_up, "is_follow_up": True, "choices": [], "explanation": ""}
        )
        return update
    status: AnswerStatus = "answered" if judgement.sufficient else "vague"
    update["asked"] = [
        AskedQuestion(
            question_id=pending.question_id, area=pending.area, text=pending.text, answer=reply,
            status=status, evidence=len(found.evidence),
        )
    ]  # fmt: skip
    update["pending"] = None
    return update


def retrieve(state: AssessmentState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    """Knowledge passages for each evidenced area."""
    return {"knowledge": retrieve_knowledge(all_evidence(dict(state)), runtime.context)}


def assess(state: AssessmentState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    """Code scores every area and decides the verdict."""
    return assess_update(dict(state), runtime.context)


def plan(state: AssessmentState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    """Code chooses, costs and schedules the remediation actions."""
    ctx = runtime.context
    return {"plan": build_plan(state["risks"], state.get("facts", []), ctx.knowledge, ctx.capacity_fte)}


def review(state: AssessmentState) -> dict[str, Any]:
    """Check the plan and the quotes before anything is reported."""
    return {"warnings": review_plan(state["risks"], state["plan"], state["brief"].text)}


def report(state: AssessmentState, runtime: Runtime[AdvisorContext]) -> dict[str, Any]:
    """Assemble the versioned report; the reasoner may reword the summary, never its facts."""
    ctx = runtime.context
    draft = compose_report(dict(state), ctx)
    facts = "\n".join(
        [draft.verdict_reason, draft.summary, draft.plan.timeline.realism, draft.plan.cost.run_rule_check]
    )
    if ctx.stream_narrative:
        # A streaming host shows the plan at once and the narrative as it is written.
        runtime.stream_writer({"draft": draft})
    if ctx.stream_narrative and isinstance(ctx.reasoner, StreamingNarrator):
        wording = ctx.reasoner.narrate_stream(
            facts, draft.summary, lambda chunk: runtime.stream_writer({"narrative": chunk})
        )
    else:
        wording = ctx.reasoner.narrate(facts, draft.summary)
    spent = _spent(wording)
    report = draft.model_copy(
        update={
            "summary": wording.text,
            "provenance": draft.provenance.model_copy(
                update={
                    "fallbacks": [*draft.provenance.fallbacks, *spent.get("fallbacks", [])],
                    "llm_calls": draft.provenance.llm_calls + wording.llm_calls,
                    "tokens": draft.provenance.tokens + wording.tokens,
                }
            ),
        }
    )
    return {"report": report, "pending": None, **spent}


def classify_reply(reply: str) -> str:
    """'why', 'skip', 'done' or 'answer'."""
    if _WHY.match(reply):
        return "why"
    if _SKIP.match(reply):
        return "skip"
    if _DONE.match(reply):
        return "done"
    return "answer"
