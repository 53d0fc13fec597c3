"""`advisor diff OLD.json NEW.json`: what changed between two assessments of the same project."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from advisor.cli.common import CliError
from advisor.portfolio.diff import diff_markdown, diff_reports
from advisor.portfolio.files import ReportFileError, load_report

_FORMATS = ("md", "json")


def diff_command(
    old: Annotated[Path, typer.Argument(help="The earlier JSON report.")],
    new: Annotated[Path, typer.Argument(help="The later JSON report of the same project.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
    force: Annotated[
        bool, typer.Option("--force", help="Compare even when the reports name different briefs.")
    ] = False,
) -> None:
    """What changed between two assessments of one project: verdict, risks, actions, cost and timeline."""
    if fmt not in _FORMATS:
        raise CliError(f"unknown format '{fmt}': choose one of {', '.join(_FORMATS)}", 2)
    try:
        before, after = load_report(old), load_report(new)
    except ReportFileError as exc:
        raise CliError(str(exc), 2) from exc
    if before.brief != after.brief and not force:
        raise CliError(
            f"{old} and {new} assess different briefs ('{before.brief}' and '{after.brief}'); "
            "pass --force to compare them anyway",
            2,
        )
    diff = diff_reports(before, after)
    if fmt == "json":
        sys.stdout.write(json.dumps(diff.model_dump(mode="json"), indent=2) + "\n")
    else:
        sys.stdout.write(diff_markdown(diff))
