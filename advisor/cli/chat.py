"""`advisor chat`: the Textual chat (the tui package, imported by name so the library never depends on it)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer

from advisor.cli.common import CliError, RedactOpt, bad_input, make_advisor, make_settings
from advisor.intake import BriefError
from advisor.launch import end_startup
from advisor.portfolio.briefs import read_any_brief


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
    try:
        openings = importlib.import_module("tui.opening")  # no Textual yet: the session opens while it imports
        opening = openings.Opening(brief=parsed, resume=resume, max_questions=max_questions)
        if not sessions:
            opening = openings.opened_in_background(advisor, opening)
        tui = importlib.import_module("tui.app")
    except ImportError as exc:
        raise CliError(f"the chat needs the tui package, which is not installed: {exc}") from exc
    if theme is not None and theme not in tui.available_themes():
        raise CliError(f"no theme {theme!r}; try one of: {', '.join(tui.available_themes())}", 2)
    app = tui.make_app(advisor, opening=opening, pick_session=sessions, theme=theme)
    end_startup()
    app.run()
