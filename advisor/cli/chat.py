"""`advisor chat`: the Textual chat (the tui package, imported by name so the library never depends on it)."""

from __future__ import annotations

import importlib
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Annotated

import typer

from advisor.api import Advisor
from advisor.cli.common import CliError, RedactOpt, bad_input, make_advisor, make_settings
from advisor.domain.brief import Brief
from advisor.intake import BriefError
from advisor.launch import end_startup
from advisor.portfolio.briefs import read_any_brief
from advisor.session import Session


def chat_command(
    brief: Annotated[Path | None, typer.Option("--brief", "-b", help="Start from this brief.")] = None,
    resume: Annotated[str | None, typer.Option("--resume", "-r", help="Resume the session with this id.")] = None,
    max_questions: Annotated[int | None, typer.Option(help="Most questions to ask (default 15).")] = None,
    engine: Annotated[str | None, typer.Option(help="offline (default) or llm.")] = None,
    store: Annotated[Path | None, typer.Option(help="Knowledge store folder.")] = None,
    redact: RedactOpt = False,
    sessions: Annotated[
        bool, typer.Option("--sessions", "-s", help="Open on the list of sessions: resume, delete or start one.")
    ] = False,
    theme: Annotated[
        str | None,
        typer.Option(help="textual-dark (default), textual-light or another Textual theme (ctrl+t switches)."),
    ] = None,
) -> None:
    """Sit down with the advisor: a chat interview with a live scorecard, ending in the costed plan."""
    if brief is not None and resume is not None:
        raise CliError("use either --brief (new session) or --resume (existing session)", 2)
    if sessions and (brief is not None or resume is not None):
        raise CliError("--sessions opens the list of sessions; leave out --brief and --resume", 2)
    settings = make_settings(
        store_path=store, engine=engine, max_questions=max_questions, redact_reports=redact or None
    )
    parsed = None
    if brief is not None:
        try:
            parsed = read_any_brief(brief, settings.max_brief_bytes)
        except BriefError as exc:
            raise bad_input(exc) from exc
    # The library records the chat's reports (audit_as="chat"): the TUI has no write step of its own to wait for.
    advisor = make_advisor(settings, audit_as="chat")
    started = None if sessions else open_in_background(advisor, parsed, resume, max_questions)
    try:
        tui = importlib.import_module("tui.app")
    except ImportError as exc:
        raise CliError(f"the chat needs the tui package, which is not installed: {exc}") from exc
    if theme is not None and theme not in tui.available_themes():
        raise CliError(f"no theme {theme!r}; try one of: {', '.join(tui.available_themes())}", 2)
    app = tui.make_app(
        advisor, brief=parsed, resume=resume, max_questions=max_questions, pick_session=sessions, theme=theme,
        started=started,
    )  # fmt: skip
    end_startup()
    app.run()


def open_in_background(
    advisor: Advisor, brief: Brief | None, resume: str | None, max_questions: int | None
) -> Future[Session]:
    """Start opening the session on its own thread, now, and return its future.

    Importing and starting the UI (about half a second) and reading the brief (the model runs with the GIL
    released) then overlap, instead of the brief being read only once the screen is up. Whatever opening
    raises is raised again where the chat screen waits for it, and shown there as a notice.
    """
    future: Future[Session] = Future()

    def run() -> None:
        future.set_running_or_notify_cancel()
        try:
            if resume:
                future.set_result(advisor.resume(resume))
            else:
                future.set_result(advisor.start_interview(brief, max_questions=max_questions))
        except BaseException as exc:  # handed to the screen, which reports it in one line
            future.set_exception(exc)

    # A daemon: quitting the chat before the brief is read must not wait for it.
    threading.Thread(target=run, name="advisor-open-session", daemon=True).start()
    return future
