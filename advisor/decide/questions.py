"""Which question to ask next, and whether an answer is good enough: plain code, no model."""

from __future__ import annotations

from collections import Counter

from advisor.domain.interview import AskedQuestion
from advisor.domain.risk import AreaRisk
from advisor.knowledge.loader import KnowledgeBase
from advisor.knowledge.models import Question

QUESTIONS_PER_AREA = 2
"""At most this many questions (follow-ups aside) per area: the interview stays short."""
COVERED_CONFIDENCE = 0.6
"""An area scored with at least this confidence is covered: asking more would not change the plan."""


_IMPACTS: dict[str, dict[str, float]] = {}


def _impacts(kb: KnowledgeBase) -> dict[str, float]:
    """How much the plan can move per area: most-likely effort of its blocker actions, scaled to 0.3-1."""
    if kb.version in _IMPACTS:
        return _IMPACTS[kb.version]
    effort: dict[str, float] = {}
    for action in kb.actions.values():
        if "high" in action.addresses:
            effort[action.area] = effort.get(action.area, 0.0) + action.effort_weeks["medium"][1]
    top = max(effort.values(), default=1.0)
    _IMPACTS[kb.version] = {area: 0.3 + 0.7 * value / top for area, value in effort.items()}
    return _IMPACTS[kb.version]


def uncertainty(risk: AreaRisk) -> float:
    """How much an answer could still change this area: 1 when unknown, 0 once well evidenced."""
    if risk.status == "unknown":
        return 1.0
    if risk.confidence >= COVERED_CONFIDENCE:
        return 0.0
    return 0.5 * (1.0 - risk.confidence)


def choose_question(
    risks: list[AreaRisk], kb: KnowledgeBase, asked: list[AskedQuestion]
) -> tuple[Question | None, str]:
    """The next question and why it was chosen; skipped questions come back only after all others."""
    done = {a.question_id for a in asked if a.status != "skipped"}
    skips = Counter(a.question_id for a in asked if a.status == "skipped")
    per_area = Counter(a.area for a in asked if a.status != "skipped")
    impacts = _impacts(kb)
    candidates: list[tuple[bool, float, int, str, Question]] = []
    for risk in risks:
        value = uncertainty(risk) * impacts.get(risk.area, 0.3)
        if value <= 0.02 or per_area[risk.area] >= QUESTIONS_PER_AREA:
            continue
        for question in kb.questions_for(risk.area):
            # "skip" means "ask me later", not "never": a question skipped twice stays an open question.
            if question.id in done or skips[question.id] >= 2:
                continue
            candidates.append((skips[question.id] > 0, -value, question.priority, question.id, question))
            break
    if not candidates:
        return None, "every area is covered or has had its questions"
    candidates.sort(key=lambda c: c[:4])
    later, value, _, _, question = candidates[0]
    reason = "asked again after a skip" if later else f"largest expected change to the plan ({-value:.2f})"
    return question, reason
