"""`advisor sessions list|show|export|delete`: the stored interviews."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from advisor.cli.common import CliError, RedactOpt, make_advisor, make_settings
from advisor.portfolio.files import write_atomically
from advisor.render import FORMATS, render

app = typer.Typer(help="Stored interview sessions: list, show, export, delete.", no_args_is_help=True)
StoreOpt = Annotated[Path | None, typer.Option("--store", help="Knowledge store folder.")]


@app.command("list")
def list_sessions(store: StoreOpt = None) -> None:
    """Every stored session, newest first."""
    advisor = make_advisor(make_settings(store_path=store))
    rows = advisor.sessions()
    if not rows:
        typer.echo("no sessions")
    for info in rows:
        state = f"finished, {info.verdict}" if info.finished else "in progress"
        typer.echo(f"{info.thread_id}  {info.brief}  {info.asked} asked  {state}")


@app.command("show")
def show(thread_id: str, store: StoreOpt = None) -> None:
    """The questions asked so far, the answers, and the question waiting."""
    session = make_advisor(make_settings(store_path=store)).resume(thread_id)
    for number, asked in enumerate(session.transcript, 1):
        typer.echo(f"Q{number} [{asked.area}] {asked.text}\n   {asked.status}: {asked.answer or '-'}")
    question = session.question
    if question is not None:
        typer.echo(f"waiting: [{question.area}] {question.text}")
    elif session.report is not None:
        typer.echo(f"finished: {session.report.verdict}")


@app.command("export")
def export(
    thread_id: str,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, json or html.")] = "md",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of stdout.")] = None,
    store: StoreOpt = None,
    redact: RedactOpt = False,
) -> None:
    """The report of a session: final if finished, otherwise as it stands now (unknowns as open questions)."""
    if fmt not in FORMATS:
        raise CliError(f"unknown format '{fmt}': choose one of {', '.join(FORMATS)}", 2)
    session = make_advisor(make_settings(store_path=store, redact_reports=redact or None)).resume(thread_id)
    report = session.report or session.preview()
    text = render(report, fmt)
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomically(out, text)


@app.command("delete")
def delete(thread_id: str, store: StoreOpt = None) -> None:
    """Remove a session and all its checkpoints."""
    make_advisor(make_settings(store_path=store)).delete_session(thread_id)
    typer.echo(f"deleted {thread_id}")
