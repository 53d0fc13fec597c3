"""`advisor audit`: show the latest audit records, or check that a saved report is on record."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Annotated

import typer

from advisor.audit import AuditRecord, read_audit, report_sha256
from advisor.cli.common import CliError, make_settings
from advisor.portfolio.files import ReportFileError, load_report


def _line(record: AuditRecord) -> str:
    when = record.time.isoformat(timespec="seconds")
    return (
        f"{when}  {record.command:<9}  {record.verdict:<21}  {record.brief}  "
        f"out:{record.output_sha256[:12]}  in:{record.input_sha256[:12]}  "
        f"{record.engine}/{record.model}  kb:{record.knowledge_version}  prompts:{record.prompt_version}  "
        f"v{record.advisor_version}  {record.user}@{record.host}"
    )


def audit_command(
    last: Annotated[int, typer.Option("--last", "-n", min=1, help="How many of the latest records to show.")] = 20,
    verify: Annotated[
        Path | None, typer.Option("--verify", help="A saved JSON report: exit 0 if the log has its record, else 1.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the records as JSON Lines.")] = False,
) -> None:
    """Show the audit log of assessments (newest last), or verify a saved JSON report against it."""
    settings = make_settings()
    path = settings.audit_path
    if verify is not None:
        try:
            report = load_report(verify)
        except ReportFileError as exc:
            raise CliError(str(exc), 2) from exc
        digest = report_sha256(report)
        matches = [record for record in read_audit(path) if record.output_sha256 == digest]
        if not matches:
            typer.echo(f"{verify}: no audit record in {path} matches this report (output sha256 {digest})")
            # Not typer.Exit: main() runs the app with standalone_mode=False, where click returns that code.
            raise SystemExit(1)
        typer.echo(f"{verify}: on record ({len(matches)} matching record{'s' if len(matches) > 1 else ''})")
        for record in matches:
            typer.echo(record.model_dump_json() if as_json else _line(record))
        return
    records = deque(read_audit(path), maxlen=last)
    if not records:
        typer.echo(f"advisor: no audit records in {path}", err=True)
        return
    for record in records:
        typer.echo(record.model_dump_json() if as_json else _line(record))
