"""The interview through the library API: adaptive questions, skip/why/done, checkpoints, events, threads."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from advisor.api import Advisor
from advisor.checkpoint import sqlite_checkpointer
from advisor.session import InterviewEvent, Session, SessionError

BLOCKERS = {
    "objective": "We have no success metric and no business case; leadership just wanted AI this year.",
    "data": "The training data was cleaned by hand in Excel and production data comes from four systems.",
    "scalability": "The notebook takes 40 minutes for 10k rows and production is 12 million rows a day.",
    "infrastructure": "The plant network is air-gapped and the model only runs in our cloud sandbox.",
    "expectations": "The CEO was promised it live in production next month with the demo accuracy.",
    "integration": "Predictions must be written back into the mainframe and nobody has scoped that.",
    "security": "The API key is pasted in the shared notebook and customer PII has had no privacy review.",
    "skills": "Only one analyst understands the code and she leaves in March.",
    "operations": "There is no monitoring, no retraining plan and no budget to run it.",
    "governance": "Nobody has been named to own the model after the pilot team disbands.",
}
HANDLED = {
    "objective": "The goal is to cut claim handling time by 20%, baselined at 9 days, worth $1.2M a year to the COO.",
    "data": "An automated pipeline reads the production warehouse daily, with schema and quality checks that alert.",
    "scalability": "We load-tested the service at three times peak volume with p95 latency under 200 ms.",
    "infrastructure": "It runs on the company's Kubernetes serving platform, deployed through the standard CI/CD.",
    "expectations": "Sponsors agreed a 14-month plan and know the live accuracy will be lower than the demo.",
    "integration": "It reads from the new lakehouse only and writes to a queue the CRM team already supports.",
    "security": "No personal data is involved, the DPO confirmed it, and secrets live in Vault.",
    "skills": "Two ML engineers and an SRE work on it full time alongside the data scientists.",
    "operations": "Drift alerts page the on-call ML engineer and every model version can be rolled back.",
    "governance": "The claims director owns the model, signed the RACI, and overrides are reviewed monthly.",
}


@pytest.fixture
def interviewer(advisor: Advisor, tmp_path: Path) -> Advisor:
    """The session's advisor parts with a fresh SQLite checkpoint file per test."""
    return Advisor(
        advisor.settings, knowledge=advisor.knowledge, store=advisor.store, reasoner=advisor.reasoner,
        checkpointer=sqlite_checkpointer(tmp_path / "sessions.sqlite"),
    )  # fmt: skip


def answer_all(session: Session, answers: dict[str, str]) -> None:
    question = session.question
    while question is not None:
        question = session.answer(answers[question.area])


def test_scripted_interview_from_nothing_reaches_a_plan_that_reflects_the_answers(interviewer: Advisor) -> None:
    blocked = interviewer.start_interview(max_questions=10)
    answer_all(blocked, BLOCKERS)
    bad = blocked.finish()
    fine = interviewer.start_interview(max_questions=10)
    answer_all(fine, HANDLED)
    good = fine.finish()
    assert bad.verdict == "not_ready"
    assert good.verdict != "not_ready"
    highs = {r.area for r in bad.risks if r.severity == "high"}
    assert len(highs) >= 4
    assert not {r.area for r in good.risks if r.severity == "high"}
    assert bad.plan.actions and len(bad.plan.actions) > len(good.plan.actions)
    assert all(e.source.startswith("answer:") for r in bad.risks for e in r.evidence)


def test_questions_are_not_asked_about_what_the_brief_already_settles(interviewer: Advisor) -> None:
    brief = " ".join(BLOCKERS[a] for a in ("security", "skills", "operations"))
    session = interviewer.start_interview(brief, max_questions=12)
    asked_areas = []
    question = session.question
    while question is not None:
        asked_areas.append(question.area)
        question = session.answer(HANDLED[question.area])
    assert asked_areas, "an interview with unknown areas asks something"
    assert not {"security", "skills", "operations"} & set(asked_areas)
    assert len(asked_areas) == len({q.question_id for q in session.transcript})


def test_skip_means_later_and_why_does_not_consume_the_question(interviewer: Advisor) -> None:
    session = interviewer.start_interview(max_questions=12)
    first = session.question
    assert first is not None
    explanation = session.why()
    assert first.why in explanation and "knowledge base" in explanation
    assert session.question is not None and session.question.question_id == first.question_id
    session.skip()
    seen = []
    question = session.question
    while question is not None:
        seen.append(question.question_id)
        question = session.answer(HANDLED[question.area])
    assert first.question_id in seen, "a skipped question comes back"
    assert seen.index(first.question_id) == len(seen) - 1 or seen[-1] != first.question_id
    statuses = [a.status for a in session.transcript if a.question_id == first.question_id]
    assert statuses[0] == "skipped" and statuses[-1] == "answered"


def test_a_vague_answer_gets_one_follow_up(interviewer: Advisor) -> None:
    session = interviewer.start_interview(max_questions=5)
    first = session.question
    assert first is not None
    follow_up = session.answer("not sure")
    assert follow_up is not None and follow_up.is_follow_up and follow_up.question_id == first.question_id
    after = session.answer("dunno")
    assert after is None or after.question_id != first.question_id
    assert session.transcript[0].status == "vague"


def test_done_reports_unknowns_as_open_questions(interviewer: Advisor) -> None:
    session = interviewer.start_interview(BLOCKERS["security"], max_questions=10)
    report = session.finish()
    assert session.finished and session.question is None
    assert report.verdict == "not_ready"
    unknown = {r.area for r in report.risks if r.status == "unknown"}
    assert unknown and unknown == {q.area for q in report.open_questions}
    with pytest.raises(SessionError):
        session.answer("more")


def test_resume_in_a_new_process_object_finds_the_same_question_and_answers(advisor: Advisor, tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite"
    parts = {"knowledge": advisor.knowledge, "store": advisor.store, "reasoner": advisor.reasoner}
    first = Advisor(advisor.settings, checkpointer=sqlite_checkpointer(path), **parts)  # type: ignore[arg-type]
    session = first.start_interview(thread_id="team-42", max_questions=8)
    question = session.question
    assert question is not None
    session.answer(BLOCKERS[question.area])
    waiting = session.question
    assert waiting is not None
    second = Advisor(advisor.settings, checkpointer=sqlite_checkpointer(path), **parts)  # type: ignore[arg-type]
    resumed = second.resume("team-42")
    assert resumed.question == waiting
    assert [a.answer for a in resumed.transcript] == [BLOCKERS[question.area]]
    assert [s.thread_id for s in second.sessions()] == ["team-42"]
    second.delete_session("team-42")
    with pytest.raises(SessionError):
        second.resume("team-42")


def test_events_tell_a_host_what_happened(interviewer: Advisor) -> None:
    session = interviewer.start_interview(max_questions=3)
    seen: list[InterviewEvent] = []
    session.subscribe(seen.append)
    answer_all(session, BLOCKERS)
    session.finish()
    kinds = [e.kind for e in [*session.events]]
    assert kinds[0] == "question_asked"
    assert {"evidence_found", "score_changed", "plan_ready"} <= {e.kind for e in seen}
    assert all(e.thread_id == session.thread_id for e in seen)


def test_many_sessions_at_once_do_not_cross_talk(interviewer: Advisor) -> None:
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            session = interviewer.start_interview(thread_id=f"t{n}", max_questions=3)
            question = session.question
            while question is not None:
                question = session.answer(f"{BLOCKERS[question.area]} Ref {n}.")
            results[n] = [a.answer for a in session.transcript]
        except BaseException as exc:  # surfaced below; a thread cannot fail a test by itself
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert len(results) == 8
    for n, answers in results.items():
        assert answers and all(a.endswith(f"Ref {n}.") for a in answers)


def test_async_twins(interviewer: Advisor) -> None:
    async def one(n: int) -> str:
        session = await interviewer.astart_interview(thread_id=f"a{n}", max_questions=2)
        question = session.question
        while question is not None:
            question = await session.aanswer(BLOCKERS[question.area])
        return (await session.afinish()).verdict

    async def main() -> list[str]:
        return await asyncio.gather(*(one(n) for n in range(3)))

    assert asyncio.run(main()) == ["not_ready"] * 3


def test_fifty_concurrent_async_sessions_on_one_checkpointer(interviewer: Advisor) -> None:
    async def one(n: int) -> tuple[int, list[str], str]:
        session = await interviewer.astart_interview(thread_id=f"c{n}", max_questions=3)
        question = session.question
        while question is not None:
            question = await session.aanswer(f"{BLOCKERS[question.area]} Team {n}.")
        report = await session.afinish()
        return n, [a.answer for a in session.transcript], report.brief

    async def main() -> list[tuple[int, list[str], str]]:
        return await asyncio.gather(*(one(n) for n in range(50)))

    results = asyncio.run(main())
    assert len(results) == 50
    for n, answers, _brief in results:
        assert answers and all(a.endswith(f"Team {n}.") for a in answers), (n, answers)
    assert len({s.thread_id for s in interviewer.sessions()}) == 50
