"""`advisor batch PATH... --out DIR`: a portfolio of briefs, one report each and a ranked summary."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer

from advisor.audit import audit_report
from advisor.cli.common import CliError, RedactOpt, make_advisor, make_settings
from advisor.cli.progress import progress_bar
from advisor.portfolio.batch import BriefOutcome, collect_briefs, parse_formats, run_batch
from advisor.portfolio.files import ReportFileError, load_report
from advisor.portfolio.summary import FailedBrief, write_portfolio
from advisor.portfolio.workers import PROCESS_POOL_MIN_BRIEFS, prestart_workers


def batch_command(
    paths: Annotated[list[Path], typer.Argument(help="Brief files or folders (.md, .txt, .yaml, .yml, .json).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the reports and the portfolio summary.")],
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            max=64,
            help="Briefs assessed at once (default: one per core offline, 1 with an LLM, to stay under rate limits).",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Report formats, comma-separated: json, md, html (json always).")
    ] = "json,md,html",
    force: Annotated[bool, typer.Option("--force", help="Assess again even when a report is up to date.")] = False,
    max_bytes: Annotated[int | None, typer.Option(help="Largest brief accepted, in bytes (default 262144).")] = None,
    rates: Annotated[Path | None, typer.Option(help="YAML file overriding role rates.")] = None,
    capacity: Annotated[float | None, typer.Option(help="People available for remediation.")] = None,
    store: Annotated[Path | None, typer.Option(help="Knowledge store folder (default: user data dir).")] = None,
    engine: Annotated[str | None, typer.Option(help="offline (default) or llm (ADVISOR_LLM_* settings).")] = None,
    redact: RedactOpt = False,
) -> None:
    """Assess many briefs: one report per brief and a portfolio ranked by readiness (exit 1 if any failed)."""
    try:
        formats = parse_formats(fmt)
    except ValueError as exc:
        raise CliError(str(exc), 2) from exc
    if out.exists() and not out.is_dir():
        raise CliError(f"{out}: exists and is not a folder", 2)
    if rates is not None and not rates.is_file():
        raise CliError(f"{rates}: no such rates file", 2)
    briefs, missing = collect_briefs(paths, exclude=out)
    failed = [FailedBrief(source=str(path), error=f"{path}: no such file or folder") for path in missing]
    for item in failed:
        typer.echo(f"advisor: skipped {item.error}", err=True)
    if not briefs:
        raise CliError("no briefs found (looked for .md, .txt, .yaml, .yml and .json files)", 2)
    settings = make_settings(
        max_brief_bytes=max_bytes,
        rates_file=rates,
        capacity_fte=capacity,
        store_path=store,
        engine=engine,
        redact_reports=redact or None,
    )
    jobs = jobs or default_jobs(settings.engine)
    # The offline engine is CPU-bound: worker processes put every core to work, once their start-up (about
    # 2 s each, in parallel) is spread over enough briefs; below that, and for an LLM engine, which waits on
    # the network, threads share this process's Advisor (measured in docs/batch-and-eval.md).
    processes = settings.engine == "offline" and jobs > 1 and len(briefs) >= PROCESS_POOL_MIN_BRIEFS
    if processes:
        prestart_workers()
    advisor = make_advisor(settings)
    started = time.perf_counter()
    with progress_bar(len(briefs), "Assessing") as bar:

        def done(outcome: BriefOutcome) -> None:
            if outcome.error:
                bar.line(f"advisor: skipped {outcome.error}")
            elif outcome.status == "assessed" and settings.audit:
                # Audited from the JSON report as written, so the record's output hash is what
                # `advisor audit --verify` recomputes from that file. Skipped briefs were audited when assessed.
                try:
                    warning = audit_report(settings, load_report(out / f"{outcome.job.name}.json"), "batch")
                except ReportFileError as exc:
                    warning = f"audit record not written ({exc})"
                if warning is not None:
                    bar.line(f"advisor: warning: {warning}")
            bar.advance(outcome.job.name)

        outcomes = run_batch(
            advisor, briefs, out, formats, workers=jobs, force=force, on_done=done, processes=processes
        )
    elapsed = time.perf_counter() - started
    assessed = sum(o.status == "assessed" for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    rows = [o.row for o in outcomes if o.row is not None]
    failed += [FailedBrief(source=str(o.job.path), error=o.error or "") for o in outcomes if o.status == "failed"]
    link = ".html" if "html" in formats else ".md" if "md" in formats else ".json"
    write_portfolio(out, rows, failed, link_suffix=link)
    noun = "brief" if len(briefs) == 1 else "briefs"
    # The rate counts only briefs actually assessed: skipped ones cost a file read, not an assessment.
    rate = f", {assessed / elapsed:.1f} assessed per second" if assessed and elapsed > 0 else ""
    typer.echo(f"advisor: {len(briefs)} {noun} in {elapsed:.1f} s with --jobs {jobs}{rate}", err=True)
    typer.echo(f"advisor: portfolio written to {out / 'portfolio.html'} (and .csv, .json)", err=True)
    typer.echo(f"{assessed} assessed, {skipped} skipped, {len(failed)} failed")
    if failed:
        # Not typer.Exit: main() runs the app with standalone_mode=False, where click returns that code
        # instead of exiting with it.
        raise SystemExit(1)


def default_jobs(engine: str) -> int:
    """--jobs when not given: the offline engine is CPU-bound, so one brief per core (at most 8); an LLM
    endpoint meters requests, so one at a time unless the user asks for more."""
    return min(os.cpu_count() or 1, 8) if engine == "offline" else 1
