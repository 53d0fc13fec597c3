"""Quick answers: a picked choice is evidence the question bank defines, on the scorecard at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from advisor.api import Advisor
from advisor.checkpoint import sqlite_checkpointer
from advisor.decide.quick_answers import picked_choice, quick_answer_evidence
from advisor.knowledge.loader import KnowledgeBase
from advisor.knowledge.models import Question


def bank_question(knowledge: KnowledgeBase, question_id: str) -> Question:
    return next(q for q in knowledge.questions if q.id == question_id)


def test_every_quick_answer_in_the_bank_has_a_reading(knowledge: KnowledgeBase) -> None:
    with_choices = [q for q in knowledge.questions if q.choices]
    assert with_choices, "the bank offers quick answers"
    for question in with_choices:
        assert len(question.readings) == len(question.choices), question.id
        # The first choice is the handled case throughout the bank; "Don't know" settles nothing.
        assert "mitigation" in question.readings or question.id == "scalability-latency", question.id
        for choice, reading in zip(question.choices, question.readings, strict=True):
            if choice == "Don't know":
                assert reading == "none", question.id


def test_a_bank_entry_with_readings_that_do_not_match_its_choices_is_refused() -> None:
    with pytest.raises(ValidationError, match="2 readings for 3 choices"):
        Question(id="x-q", area="data", priority=1, text="?", why="w", choices=["a", "b", "c"],
                 readings=["mitigation", "none"])  # fmt: skip


def test_a_choice_is_picked_by_number_or_by_its_words(knowledge: KnowledgeBase) -> None:
    question = bank_question(knowledge, "data-cleaning-repeatable")
    assert picked_choice(question, " 3 ") == "Manual or one-off"
    assert picked_choice(question, "manual or one-off.") == "Manual or one-off"
    assert picked_choice(question, "9") is None
    assert picked_choice(question, "Manual, and it takes a week each time") is None


def test_readings_become_evidence_of_the_right_polarity_and_strength(knowledge: KnowledgeBase) -> None:
    question = bank_question(knowledge, "data-cleaning-repeatable")
    (blocker,) = quick_answer_evidence(question, "Manual or one-off")
    assert (blocker.area, blocker.polarity, blocker.strength) == ("data", "risk", "high")
    assert blocker.quote == "Manual or one-off" and blocker.source == "answer:data-cleaning-repeatable"
    (handled,) = quick_answer_evidence(question, "Fully automated pipeline")
    assert handled.polarity == "mitigation"
    assert quick_answer_evidence(question, "Don't know") == []


@pytest.fixture
def interviewer(advisor: Advisor, tmp_path: Path) -> Advisor:
    return Advisor(
        advisor.settings, knowledge=advisor.knowledge, store=advisor.store, reasoner=advisor.reasoner,
        checkpointer=sqlite_checkpointer(tmp_path / "sessions.sqlite"),
    )  # fmt: skip


def test_picking_a_blocker_by_number_updates_the_scorecard_without_a_follow_up(interviewer: Advisor) -> None:
    session = interviewer.start_interview("We built a churn model in a notebook.", thread_id="quick-1")
    question = session.question
    assert question is not None and question.choices, "the first question offers quick answers"
    readings = bank_question(interviewer.knowledge, question.question_id).readings
    blocker = readings.index("gap_high") + 1 if "gap_high" in readings else readings.index("gap_medium") + 1
    before = {r.area: r for r in session.scorecard()}[question.area]
    following = session.answer(str(blocker))
    after = {r.area: r for r in session.scorecard()}[question.area]
    assert before.status == "unknown" and after.status == "evidenced"
    assert after.severity == ("high" if "gap_high" in readings else "medium")
    assert following is None or not following.is_follow_up
    assert session.transcript[-1].answer == question.choices[blocker - 1]
    assert session.transcript[-1].status == "answered"


def test_dont_know_is_an_answer_that_leaves_the_area_unknown(interviewer: Advisor) -> None:
    session = interviewer.start_interview("We built a churn model in a notebook.", thread_id="quick-2")
    question = session.question
    assert question is not None and "Don't know" in question.choices
    following = session.answer("Don't know")
    assert {r.area: r for r in session.scorecard()}[question.area].status == "unknown"
    assert following is None or not following.is_follow_up
    assert session.transcript[-1].status == "answered"
    report = session.finish()
    assert question.area in {q.area for q in report.open_questions}
