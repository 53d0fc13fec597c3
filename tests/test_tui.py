"""The Textual chat driven through a Pilot at 80x24: a whole interview to a plan, skip, why, export, resume,
the sessions screen, a new session, help, the light theme, streaming from an LLM and an endpoint that is down."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from openai import OpenAI
from textual.binding import Binding
from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Markdown, Static

from advisor.api import Advisor
from advisor.checkpoint import sqlite_checkpointer
from advisor.llm.client import RetryPolicy, StructuredLLM
from advisor.reasoning.llm import LLMReasoner
from advisor.session import Session
from tests.support.openai_stub import OpenAIStub, clear_proxy_env, closed_port_url, serve_openai_stub
from tui.app import AdvisorApp, make_app
from tui.opening import Opening, opened_in_background
from tui.screens.chat import ChatScreen
from tui.screens.help import KEYS, HelpScreen
from tui.screens.plan import PlanScreen
from tui.screens.sessions import SessionsScreen
from tui.widgets.conversation import Conversation
from tui.widgets.evidence_pane import EvidencePane
from tui.widgets.scorecard import Scorecard
from tui.widgets.timeline import TimelineChart

BRIEF = "We built a churn model in a notebook. The data is exported by hand from the CRM every month."
SIZE = (80, 24)


@pytest.fixture
def interviewer(advisor: Advisor, tmp_path: Path) -> Advisor:
    """The session's advisor parts with a fresh SQLite checkpoint file per test."""
    return Advisor(
        advisor.settings, knowledge=advisor.knowledge, store=advisor.store, reasoner=advisor.reasoner,
        checkpointer=sqlite_checkpointer(tmp_path / "sessions.sqlite"), audit_as=None,
    )  # fmt: skip


async def settle(app: AdvisorApp, pilot: Pilot[None]) -> None:
    """Wait for the advisor workers and the redraws their results cause."""
    for _ in range(4):
        await app.workers.wait_for_complete()
        await pilot.pause()


def chat(app: AdvisorApp) -> ChatScreen:
    screen = app.chat
    assert screen is not None
    return screen


def session_of(app: AdvisorApp) -> Session:
    session = chat(app).session
    assert session is not None
    return session


def conversation(app: AdvisorApp) -> str:
    return "\n".join(chat(app).query_one(Conversation).texts())


def notices(app: AdvisorApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def test_a_whole_interview_through_the_ui(interviewer: Advisor, tmp_path: Path) -> None:
    asyncio.run(_test_a_whole_interview_through_the_ui(interviewer, tmp_path))


async def _test_a_whole_interview_through_the_ui(interviewer: Advisor, tmp_path: Path) -> None:
    app = make_app(interviewer, brief=BRIEF, max_questions=4, export_dir=tmp_path / "out")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        session = session_of(app)
        assert session.question is not None
        first = session.question
        assert first.text in conversation(app)
        assert session.thread_id in str(chat(app).sub_title) and "offline" in str(chat(app).sub_title)
        progress = str(chat(app).query_one("#progress", Static).render())
        assert f"Q1/{first.expected}" in progress and "areas covered" in progress

        before = chat(app).query_one(Scorecard).cells()
        await pilot.press(*"There is no monitoring, no retraining plan and no budget to run it; nobody owns it.")
        await pilot.press("enter")
        await settle(app, pilot)
        after = chat(app).query_one(Scorecard).cells()
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
        table = chat(app).query_one(Scorecard)
        table.move_cursor(row=table.get_row_index(evidenced))
        await settle(app, pilot)
        shown = chat(app).query_one(EvidencePane).source
        assert "Evidence" in shown and "“" in shown

        await pilot.press("ctrl+d")
        await settle(app, pilot)
        plan = app.screen
        assert isinstance(plan, PlanScreen) and not plan.streaming
        report = session.report
        assert report is not None
        assert "READY" in str(plan.query_one("#verdict", Static).render())
        assert report.summary in plan.query_one("#narrative", Markdown).source, "offline: the narrative at once"
        assert "P90" in plan.query_one("#totals", Markdown).source
        chart = str(plan.query_one(TimelineChart).render())
        assert "Foundation (weeks" in chart and "week" in chart.splitlines()[0]
        actions = plan.query_one("#actions", Markdown).source
        assert report.plan.actions[0].title in actions and "person-weeks" in actions
        assert all(q.text in plan.query_one("#open-questions", Markdown).source for q in report.open_questions)

        await pilot.press("ctrl+e")
        await settle(app, pilot)
        written = sorted(p.name for p in (tmp_path / "out").iterdir())
        stem = f"poc-advisor-{session.thread_id}"
        assert written == [f"{stem}.html", f"{stem}.json", f"{stem}.md"]
        assert report.verdict in (tmp_path / "out" / f"{stem}.json").read_text()

        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ChatScreen), "escape goes back to the conversation"


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
        assert app.is_running and chat(app).session is None
        assert "no-such-session" in notices(app)
        assert "Traceback" not in conversation(app)
        await pilot.press("ctrl+s")
        assert "No session" in notices(app)


def test_a_session_opened_before_the_ui_shows_its_question_or_its_error(interviewer: Advisor) -> None:
    asyncio.run(_test_opened_before_the_ui(interviewer))


async def _test_opened_before_the_ui(interviewer: Advisor) -> None:
    early = opened_in_background(interviewer, Opening(brief=BRIEF, thread_id="early"))  # as `advisor chat` does
    app = make_app(interviewer, opening=early)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert session_of(app).thread_id == "early" and "**Q1/" in conversation(app)
    missing = opened_in_background(interviewer, Opening(resume="no-such-session"))
    app = make_app(interviewer, opening=missing)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.is_running and chat(app).session is None and "no-such-session" in notices(app)


def test_the_sessions_screen_resumes_deletes_and_starts_sessions(interviewer: Advisor, tmp_path: Path) -> None:
    asyncio.run(_test_the_sessions_screen_resumes_deletes_and_starts_sessions(interviewer, tmp_path))


async def _test_the_sessions_screen_resumes_deletes_and_starts_sessions(interviewer: Advisor, tmp_path: Path) -> None:
    older = interviewer.start_interview(BRIEF, thread_id="older-one", max_questions=3)
    older.answer("Nobody owns the model after launch.")
    interviewer.start_interview("A chatbot for HR questions.", thread_id="newer-one", max_questions=3)
    app = make_app(interviewer, pick_session=True, export_dir=tmp_path, thread_ids=["fresh-one"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        ids = [info.thread_id for info in screen.sessions]
        assert set(ids) == {"older-one", "newer-one"}
        table = screen.query_one(DataTable)
        table.move_cursor(row=ids.index("older-one"))
        await pilot.press("enter")
        await settle(app, pilot)
        assert session_of(app).thread_id == "older-one"
        assert "Nobody owns the model after launch." in conversation(app), "resumed with its transcript"

        await pilot.press("ctrl+o")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        ids = [info.thread_id for info in screen.sessions]
        screen.query_one(DataTable).move_cursor(row=ids.index("newer-one"))
        await pilot.press("d")
        await settle(app, pilot)
        assert "Press d again" in notices(app) and len(interviewer.sessions()) == 2, "one press only asks"
        await pilot.press("d")
        await settle(app, pilot)
        assert [s.thread_id for s in interviewer.sessions()] == ["older-one"]
        assert [s.thread_id for s in screen.sessions] == ["older-one"], "the list is read again"

        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, ChatScreen) and session_of(app).thread_id == "fresh-one"
        assert session_of(app).question is not None
        assert {s.thread_id for s in interviewer.sessions()} == {"older-one", "fresh-one"}


def test_new_session_key_starts_from_nothing_and_keeps_the_old_one(interviewer: Advisor, tmp_path: Path) -> None:
    asyncio.run(_test_new_session_key(interviewer, tmp_path))


async def _test_new_session_key(interviewer: Advisor, tmp_path: Path) -> None:
    app = make_app(interviewer, brief=BRIEF, thread_id="first", thread_ids=["second"], export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        answer = "There is no monitoring and no budget to run it; nobody owns the model after launch."
        await pilot.press(*answer, "enter")
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert session_of(app).thread_id == "second" and answer not in conversation(app)
        assert interviewer.resume("first").transcript[0].answer == answer


def test_help_and_the_light_theme(interviewer: Advisor, tmp_path: Path) -> None:
    asyncio.run(_test_help_and_the_light_theme(interviewer, tmp_path))


async def _test_help_and_the_light_theme(interviewer: Advisor, tmp_path: Path) -> None:
    app = make_app(interviewer, brief=BRIEF, export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = " ".join(key for key, _ in KEYS)
        bound = [b.key for b in [*AdvisorApp.BINDINGS, *ChatScreen.BINDINGS] if isinstance(b, Binding)]
        assert bound and all(key in listed for key in bound), "the help lists every key the chat binds"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)

        card = chat(app).query_one(Scorecard)
        rated = {"high": "error", "medium": "warning", "low": "success"}
        area, colour = next((a, rated[sev]) for a, (sev, _) in card.cells().items() if sev in rated)
        dark_style = str(card.get_row(area)[1].style)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert app.theme == "textual-light"
        # The scorecard's colours come from the theme, darkened on a light background to stay readable.
        light = str(card.get_row(area)[1].style).lower()
        assert (
            light != dark_style.lower() and Color.parse(app.theme_variables[colour]).darken(0.25).hex.lower() in light
        )
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark", "ctrl+t switches back"


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIStub]:
    clear_proxy_env(monkeypatch)
    with serve_openai_stub() as served:
        yield served


def llm_interviewer(interviewer: Advisor, base_url: str, tmp_path: Path) -> Advisor:
    """An LLM advisor on base_url without retries: unscripted or failing steps fall back at once."""
    client = OpenAI(base_url=base_url, api_key="sk-test-tui")
    llm = StructuredLLM(client, "stub-model", strategy="json_schema", timeout_s=5, retry=RetryPolicy(max_retries=0))
    reasoner = LLMReasoner(llm, interviewer.reasoner, "stub-model")
    return Advisor(
        interviewer.settings, knowledge=interviewer.knowledge, store=interviewer.store, reasoner=reasoner,
        checkpointer=sqlite_checkpointer(tmp_path / "llm-sessions.sqlite"), audit_as=None,
    )  # fmt: skip


@pytest.mark.parametrize("invents", [False, True], ids=["kept", "replaced"])
def test_the_llm_narrative_streams_into_the_plan_screen(
    interviewer: Advisor, stub: OpenAIStub, tmp_path: Path, invents: bool
) -> None:
    asyncio.run(_test_streaming(interviewer, stub, tmp_path, invents))


async def _test_streaming(interviewer: Advisor, stub: OpenAIStub, tmp_path: Path, invents: bool) -> None:
    chunks = ["Not ready ", "for production. ", "The data is exported by hand; ", "automate it first."]
    if invents:
        chunks[-1] = "it will cost $7M."
    stub.stream(chunks, chunk_delay_s=0.3)
    brief = BRIEF + " Nobody owns the model after launch and there is no monitoring."
    app = make_app(llm_interviewer(interviewer, stub.base_url, tmp_path), brief=brief, export_dir=tmp_path)
    seen: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+d")
        while not isinstance(app.screen, PlanScreen):
            await pilot.pause(0.01)
        plan = app.screen
        while plan.streaming:  # what the screen shows while the chunks arrive
            seen.append(plan.query_one("#narrative", Markdown).source)
            await pilot.pause(0.01)
        await settle(app, pilot)
        final = plan.query_one("#narrative", Markdown).source
        report = session_of(app).report
        assert report is not None
    partial = [s for s in seen if "Not ready for production." in s and "▌" in s]
    assert partial, "the narrative appeared piece by piece, with a cursor, before it was complete"
    if invents:
        assert "$7M" not in final and report.summary in final, "the offline narrative replaces an invented figure"
        assert "replaced by the offline one" in notices(app)
    else:
        assert "automate it first." in final and report.summary == "".join(chunks).strip()


def test_a_dead_llm_endpoint_gives_notices_and_the_interview_goes_on(interviewer: Advisor, tmp_path: Path) -> None:
    asyncio.run(_test_dead_endpoint(interviewer, tmp_path))


async def _test_dead_endpoint(interviewer: Advisor, tmp_path: Path) -> None:
    app = make_app(llm_interviewer(interviewer, closed_port_url(), tmp_path), brief=BRIEF, export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        session = session_of(app)
        assert session.question is not None, "the offline engine asked the first question"
        assert "The offline engine took over" in notices(app) and "could not connect" in notices(app)
        answer = "There is no monitoring and no budget to run it; nobody owns the model after launch."
        await pilot.press(*answer, "enter")
        await settle(app, pilot)
        assert session.transcript[0].answer == answer, "the answer is kept"
        await pilot.press("ctrl+d")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanScreen) and session.finished
        assert "Traceback" not in notices(app)


class GatedReasoner:
    """The session's reasoner, except that reading an answer waits until the test opens the gate."""

    def __init__(self, inner: object) -> None:
        self._inner = inner
        self.gate = threading.Event()
        self.gate.set()

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def extract(self, *args: object, **kwargs: object) -> object:
        self.gate.wait(timeout=30)
        return self._inner.extract(*args, **kwargs)  # type: ignore[attr-defined]


def test_an_answer_typed_while_the_advisor_thinks_is_kept_until_it_can_be_sent(
    interviewer: Advisor, tmp_path: Path
) -> None:
    asyncio.run(_test_typed_while_busy(interviewer, tmp_path))


async def _test_typed_while_busy(interviewer: Advisor, tmp_path: Path) -> None:
    gated = GatedReasoner(interviewer.reasoner)
    slow = Advisor(
        interviewer.settings, knowledge=interviewer.knowledge, store=interviewer.store, reasoner=gated,  # type: ignore[arg-type]
        checkpointer=sqlite_checkpointer(tmp_path / "busy.sqlite"), audit_as=None,
    )  # fmt: skip
    app = make_app(slow, brief=BRIEF, thread_id="busy", export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = "Nobody owns the model after launch."
        second = "There is no monitoring of the model in production."
        gated.gate.clear()
        await pilot.press(*first, "enter")
        await pilot.pause()
        assert chat(app).busy
        await pilot.press(*second, "enter")  # the advisor is still reading the first answer
        await pilot.pause()
        field = chat(app).query_one("#reply", Input)
        assert field.value == second and second not in conversation(app)
        assert "yours is kept" in notices(app)
        gated.gate.set()
        await settle(app, pilot)
        assert not chat(app).busy and field.value == second and field.has_focus
        await pilot.press("enter")
        await settle(app, pilot)
    answers = [asked.answer for asked in slow.resume("busy").transcript]
    assert answers[:2] == [first, second]
