"""`advisor interview`: a plain line-mode interview on stdin/stdout, for scripts, pipes and screen readers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from advisor.agent.nodes import classify_reply
from advisor.audit import audit_report
from advisor.cli.common import CliError, RedactOpt, bad_input, make_advisor, make_settings
from advisor.domain.interview import PendingQuestion
from advisor.intake import BriefError
from advisor.portfolio.briefs import read_any_brief
from advisor.portfolio.files import write_atomically
from advisor.render import FORMATS, render
from advisor.session import InterviewEvent


def show_question(question: PendingQuestion) -> None:
    """Print one question with its quick answers and the commands, then a prompt."""
    label = " (follow-up)" if question.is_follow_up else ""
    print(f"\nQ{question.number}/{question.expected} · {question.area}{label}")
    print(question.text)
    for number, choice in enumerate(question.choices, 1):
        print(f"  {number}) {choice}")
    print("(answer in your own words, or: skip, why, done)")
    print("> ", end="", flush=True)


def _note(event: InterviewEvent) -> None:
    if event.kind == "evidence_found":
        kind = "gap" if event.data["polarity"] == "risk" else "handled"
        print(f"  noted for {event.data['area']}: {kind}", flush=True)
    elif event.kind == "score_changed":
        print(f"  {event.data['area']}: {event.data['from']} → {event.data['to']}", flush=True)


def interview_command(
    brief: Annotated[Path | None, typer.Option("--brief", "-b", help="Start from this brief.")] = None,
    resume: Annotated[str | None, typer.Option("--resume", "-r", help="Resume the session with this id.")] = None,
    session_id: Annotated[str | None, typer.Option(help="Id for a new session (default: random).")] = None,
    max_questions: Annotated[int | None, typer.Option(help="Most questions to ask (default 15).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Report format at the end: md, json or html.")] = "md",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report here.")] = None,
    engine: Annotated[str | None, typer.Option(help="offline (default) or llm.")] = None,
    store: Annotated[Path | None, typer.Option(help="Knowledge store folder.")] = None,
    redact: RedactOpt = False,
) -> None:
    """Interview the team about its POC, one question at a time; end of input or 'done' produces the report."""
    if fmt not in FORMATS:
        raise CliError(f"unknown format '{fmt}': choose one of {', '.join(FORMATS)}", 2)
    if brief is not None and resume is not None:
        raise CliError("use either --brief (new session) or --resume (existing session)", 2)
    settings = make_settings(
        store_path=store, engine=engine, max_questions=max_questions, redact_reports=redact or None
    )
    parsed = None
    if brief is not None:
        try:
            parsed = read_any_brief(brief, settings.max_brief_bytes)
        except BriefError as exc:
            raise bad_input(exc) from exc
    advisor = make_advisor(settings)
    session = advisor.resume(resume) if resume else advisor.start_interview(parsed, thread_id=session_id)
    print(f"advisor: session {session.thread_id} (resume with: advisor interview --resume {session.thread_id})",
          file=sys.stderr, flush=True)  # fmt: skip
    session.subscribe(_note)
    question = session.question
    while question is not None:
        show_question(question)
        line = sys.stdin.readline()
        if not line:  # end of input: the plan is produced with what is known so far
            print()
            break
        reply = line.strip()
        kind = classify_reply(reply)
        if kind == "why":
            print(session.why(), flush=True)
            question = session.question
        elif kind == "done":
            break
        elif kind == "skip":
            question = session.skip()
        else:
            question = session.answer(reply)
    report = session.finish()
    text = render(report, fmt)
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomically(out, text)
        print(f"advisor: wrote {out} ({report.verdict})", file=sys.stderr)
    # Recorded once the report is delivered: the log says which reports exist, not which were attempted.
    warning = audit_report(settings, report, "interview")
    if warning is not None:
        print(f"advisor: warning: {warning}", file=sys.stderr)
