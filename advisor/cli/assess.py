"""`advisor assess FILE`: one brief to a report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from advisor.audit import audit_report
from advisor.cli.common import CliError, RedactOpt, bad_input, make_advisor, make_settings
from advisor.intake import BriefError, brief_from_text
from advisor.portfolio.briefs import read_any_brief
from advisor.portfolio.files import write_atomically
from advisor.render import FORMATS, render


def assess_command(
    brief: Annotated[Path, typer.Argument(help="Brief file (Markdown or text), or - for stdin.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, json or html.")] = "md",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report here instead of stdout.")] = None,
    max_bytes: Annotated[int | None, typer.Option(help="Largest brief accepted, in bytes (default 262144).")] = None,
    rates: Annotated[Path | None, typer.Option(help="YAML file overriding role rates.")] = None,
    capacity: Annotated[float | None, typer.Option(help="People available for remediation.")] = None,
    store: Annotated[Path | None, typer.Option(help="Knowledge store folder (default: user data dir).")] = None,
    engine: Annotated[str | None, typer.Option(help="offline (default) or llm (ADVISOR_LLM_* settings).")] = None,
    redact: RedactOpt = False,
) -> None:
    """Assess a project brief: verdict, ten risk areas with evidence, a costed and scheduled plan."""
    if fmt not in FORMATS:
        raise CliError(f"unknown format '{fmt}': choose one of {', '.join(FORMATS)}", 2)
    if rates is not None and not rates.is_file():
        raise CliError(f"{rates}: no such rates file", 2)
    settings = make_settings(
        max_brief_bytes=max_bytes,
        rates_file=rates,
        capacity_fte=capacity,
        store_path=store,
        engine=engine,
        redact_reports=redact or None,
    )
    try:
        if str(brief) == "-":
            data = sys.stdin.buffer.read(settings.max_brief_bytes + 1)
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise BriefError("stdin: not UTF-8 text") from exc
            parsed = brief_from_text(text, name="stdin", source="stdin", max_bytes=settings.max_brief_bytes)
        else:
            parsed = read_any_brief(brief, settings.max_brief_bytes)
    except BriefError as exc:
        raise bad_input(exc) from exc
    advisor = make_advisor(settings)
    report = advisor.assess(parsed)
    for notice in report.notices:
        print(f"advisor: note: {notice}", file=sys.stderr)
    text = render(report, fmt)
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomically(out, text)
        print(f"advisor: wrote {out} ({report.verdict})", file=sys.stderr)
    # Recorded once the report is delivered: the log says which reports exist, not which were attempted.
    warning = audit_report(settings, report, "assess")
    if warning is not None:
        print(f"advisor: warning: {warning}", file=sys.stderr)
