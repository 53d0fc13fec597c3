"""Snapshots of the chat's main screens at 80x24 and 120x40 (pytest-textual-snapshot), one class per screen.

Every id on screen is fixed (session ids injected), no clock or path is shown, and each run waits for the
advisor's workers, so a snapshot changes only when the screen does. Update with `--snapshot-update` and look
at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from advisor.api import Advisor
from advisor.checkpoint import sqlite_checkpointer
from tui.app import AdvisorApp, make_app
from tui.widgets.conversation import Conversation

BRIEF = (
    "We built a churn model in a notebook. The data is exported by hand from the CRM every month. "
    "Nobody owns the model after launch and there is no monitoring."
)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
SnapCompare = Callable[..., bool]


@pytest.fixture
def interviewer(advisor: Advisor, tmp_path: Path) -> Advisor:
    """The shared advisor's parts with a checkpoint file of its own."""
    return Advisor(
        advisor.settings, knowledge=advisor.knowledge, store=advisor.store, reasoner=advisor.reasoner,
        checkpointer=sqlite_checkpointer(tmp_path / "sessions.sqlite"), audit_as=None,
    )  # fmt: skip


def app_on(interviewer: Advisor, tmp_path: Path, **kwargs: Any) -> AdvisorApp:
    kwargs.setdefault("thread_id", "snap-session")
    return make_app(interviewer, export_dir=tmp_path, max_questions=6, **kwargs)


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the workers, pin the conversation to its end (Markdown heights settle over frames), stop blinks."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    for pane in pilot.app.screen.query(Conversation):
        pane.scroll_end(animate=False, immediate=True)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False  # a blinking cursor would be caught on or off at random
    await pilot.pause()


def then(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """A run_before that waits for the first question, presses keys (settling after each) and settles."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


class TestChatScreen:
    """The first question, its quick answers and the scorecard the brief filled in."""

    @pytest.mark.parametrize("size", SIZES)
    def test_first_question(
        self, snap_compare: SnapCompare, interviewer: Advisor, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        app = app_on(interviewer, tmp_path, brief=BRIEF)
        assert snap_compare(app, terminal_size=size, run_before=then())

    @pytest.mark.parametrize("size", SIZES)
    def test_after_an_answer(
        self, snap_compare: SnapCompare, interviewer: Advisor, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        app = app_on(interviewer, tmp_path, brief=BRIEF)
        assert snap_compare(app, terminal_size=size, run_before=then("1", "enter"))


class TestPlanScreen:
    """The plan after ctrl+d: verdict and totals line, narrative, totals, the timeline further down."""

    @pytest.mark.parametrize("size", SIZES)
    def test_plan(self, snap_compare: SnapCompare, interviewer: Advisor, tmp_path: Path, size: tuple[int, int]) -> None:
        app = app_on(interviewer, tmp_path, brief=BRIEF)
        assert snap_compare(app, terminal_size=size, run_before=then("ctrl+d"))

    def test_timeline_scrolled_into_view(self, snap_compare: SnapCompare, interviewer: Advisor, tmp_path: Path) -> None:
        app = app_on(interviewer, tmp_path, brief=BRIEF)

        async def run_before(pilot: Pilot[None]) -> None:
            await then("ctrl+d")(pilot)
            pilot.app.screen.query_one("#timeline").scroll_visible(top=True, animate=False)
            await settle(pilot)

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


class TestSessionsScreen:
    """The stored sessions, one finished, one in progress."""

    @pytest.mark.parametrize("size", SIZES)
    def test_sessions(
        self, snap_compare: SnapCompare, interviewer: Advisor, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        interviewer.start_interview(BRIEF, thread_id="churn-model", max_questions=4).finish()
        started = interviewer.start_interview("A chatbot for HR questions.", thread_id="hr-chatbot", max_questions=4)
        started.answer("There is no monitoring and nobody owns it.")
        app = app_on(interviewer, tmp_path, pick_session=True)
        assert snap_compare(app, terminal_size=size, run_before=then())


class TestHelpScreen:
    """f1 over the chat."""

    @pytest.mark.parametrize("size", SIZES)
    def test_help(self, snap_compare: SnapCompare, interviewer: Advisor, tmp_path: Path, size: tuple[int, int]) -> None:
        app = app_on(interviewer, tmp_path, brief=BRIEF)
        assert snap_compare(app, terminal_size=size, run_before=then("f1"))


class TestLightTheme:
    """The chat and the plan in textual-light (--theme textual-light)."""

    def test_chat_light(self, snap_compare: SnapCompare, interviewer: Advisor, tmp_path: Path) -> None:
        app = app_on(interviewer, tmp_path, brief=BRIEF, theme="textual-light")
        assert snap_compare(app, terminal_size=(80, 24), run_before=then())

    def test_plan_light(self, snap_compare: SnapCompare, interviewer: Advisor, tmp_path: Path) -> None:
        app = app_on(interviewer, tmp_path, brief=BRIEF, theme="textual-light")
        assert snap_compare(app, terminal_size=(120, 40), run_before=then("ctrl+d"))
