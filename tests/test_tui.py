"""The Textual chat driven through a Pilot at 80x24: question, answer, skip, why, done, export, resume."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Markdown, Static

from advisor.api import Advisor
from advisor.checkpoint import sqlite_checkpointer
from tui.app import AdvisorApp, make_app
from tui.screens.plan import PlanScreen
from tui.widgets.conversation import Conversation
from tui.widgets.evidence_pane import EvidencePane
from tui.widgets.scorecard import Scorecard

BRIEF = "We built a churn model in a notebook. The data is exported by hand from the CRM every month."
SIZE = (80, 24)


@pytest.fixture
def interviewer(advisor: Advisor, tmp_path: Path) -> Advisor:
    """The session's advisor parts with a fresh SQLite checkpoint file per test."""
    return Advisor(
        advisor.settings, knowledge=advisor.knowledge, store=advisor.store, reasoner=advisor.reasoner,
        checkpointer=sqlite_checkpointer(tmp_path / "sessions.sqlite"),
    )  # fmt: skip


async def settle(app: AdvisorApp, pilot: Pilot[None]) -> None:
    """Wait for the advisor workers and the redraws their results cause."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def conversation(app: AdvisorApp) -> str:
    return "\n".join(app.query_one(Conversation).texts())


def test_a_whole_interview_through_the_ui(interviewer: Advisor, tmp_path: Path) -> None:
    asyncio.run(_test_a_whole_interview_through_the_ui(interviewer, tmp_path))


async def _test_a_whole_interview_through_the_ui(interviewer: Advisor, tmp_path: Path) -> None:
    app = make_app(interviewer, brief=BRIEF, max_questions=4, export_dir=tmp_path / "out")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        session = app.session
        assert session is not None and session.question is not None
        first = session.question
        assert first.text in conversation(app)
        assert session.thread_id in str(app.sub_title) and "offline" in str(app.sub_title)
        progress = str(app.query_one("#progress", Static).render())
        assert f"Q1/{first.expected}" in progress and "areas covered" in progress

        before = app.query_one(Scorecard).cells()
        await pilot.press(*"There is no monitoring, no retraining plan and no budget to run it; nobody owns it.")
        await pilot.press("enter")
        await settle(app, pilot)
        after = app.query_one(Scorecard).cells()
        assert after != before, "an answer with evidence changes the scorecard"
        assert "There is no monitoring" in conversation(app)

        asked = session.question
        assert asked is not None
        await pilot.press("ctrl+w")
        await settle(app, pilot)
        assert "Why this matters" in conversation(app)
        assert session.question is not None and session.question.question_id == asked.question_id

        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert session.transcript[-1].status == "skipped"

        evidenced = next(area for area, (_, state) in after.items() if "✓" in state)
        table = app.query_one(Scorecard)
        table.move_cursor(row=table.get_row_index(evidenced))
        await settle(app, pilot)
        shown = app.query_one(EvidencePane).source
        assert "Evidence" in shown and "“" in shown

        await pilot.press("ctrl+d")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanScreen)
        report = session.report
        assert report is not None
        verdict = str(app.screen.query_one("#verdict", Static).render())
        assert "READY" in verdict
        assert "Verdict" in app.screen.query_one("#plan-report", Markdown).source

        await pilot.press("ctrl+e")
        await settle(app, pilot)
        written = sorted(p.name for p in (tmp_path / "out").iterdir())
        stem = f"poc-advisor-{session.thread_id}"
        assert written == [f"{stem}.html", f"{stem}.json", f"{stem}.md"]
        assert report.verdict in (tmp_path / "out" / f"{stem}.json").read_text()


def test_resume_shows_the_transcript_and_export_writes_the_preview(interviewer: Advisor, tmp_path: Path) -> None:
    asyncio.run(_test_resume_shows_the_transcript_and_export_writes_the_preview(interviewer, tmp_path))


async def _test_resume_shows_the_transcript_and_export_writes_the_preview(interviewer: Advisor, tmp_path: Path) -> None:
    session = interviewer.start_interview(BRIEF, max_questions=5)
    session.answer("Only one analyst understands the code and she leaves in March.")
    app = make_app(interviewer, resume=session.thread_id, export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = conversation(app)
        assert "she leaves in March" in text
        assert session.question is not None and session.question.text in text
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        assert (tmp_path / f"poc-advisor-{session.thread_id}.md").read_text().startswith("# POC readiness")
        assert not session.finished, "export mid-interview writes the preview and keeps the session open"


def test_errors_become_notices_and_the_app_keeps_running(interviewer: Advisor) -> None:
    asyncio.run(_test_errors_become_notices_and_the_app_keeps_running(interviewer))


async def _test_errors_become_notices_and_the_app_keeps_running(interviewer: Advisor) -> None:
    app = make_app(interviewer, resume="no-such-session")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.is_running and app.session is None
        assert any("no-such-session" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+s")
        assert any("No session" in str(n.message) for n in app._notifications)
