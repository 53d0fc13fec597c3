"""Batch assessment: collect briefs, assess each once (resumably, in threads or worker processes), write reports."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from advisor.api import Advisor
from advisor.decide.planner import CONFIGURED_CAPACITY
from advisor.domain.report import Report
from advisor.intake import BriefError
from advisor.portfolio.briefs import BRIEF_SUFFIXES, read_any_brief
from advisor.portfolio.files import ReportFileError, load_report, write_atomically
from advisor.portfolio.rows import PortfolioRow, row_from_report
from advisor.render import FORMATS, render
from advisor.version import __version__

Status = Literal["assessed", "skipped", "failed"]


@dataclass(frozen=True)
class BriefJob:
    """One brief file and the stem its reports are written under."""

    path: Path
    """The brief file."""
    name: str
    """Report stem in the output folder: the file's stem, made unique within the batch."""


@dataclass(frozen=True)
class BriefOutcome:
    """What happened to one brief."""

    job: BriefJob
    """The brief."""
    status: Status
    """assessed, skipped (its JSON report was already up to date) or failed."""
    row: PortfolioRow | None = None
    """Its portfolio row, unless it failed."""
    error: str | None = None
    """The one-line reason, when it failed."""
    seconds: float = 0.0
    """Wall time spent on this brief."""


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def collect_briefs(paths: Iterable[Path], exclude: Path | None = None) -> tuple[list[BriefJob], list[Path]]:
    """Brief files under the given files and folders, in a stable order, and the paths that do not exist.

    Folders are searched recursively for .md, .txt, .yaml, .yml and .json files, skipping hidden files and
    anything under `exclude` (the output folder, so reports are never read back as briefs). A file named
    explicitly is taken whatever its suffix. Stems that repeat get -2, -3… in path order.
    """
    found: dict[Path, Path] = {}  # resolved -> as the user wrote it, so messages show their paths
    missing: list[Path] = []
    excluded = exclude.resolve() if exclude is not None else None
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.rglob("*")):
                if not candidate.is_file() or candidate.suffix.lower() not in BRIEF_SUFFIXES:
                    continue
                resolved = candidate.resolve()
                if _is_hidden(candidate, path) or (excluded is not None and resolved.is_relative_to(excluded)):
                    continue
                found.setdefault(resolved, candidate)
        elif path.is_file():
            found.setdefault(path.resolve(), path)
        else:
            missing.append(path)
    unique = sorted(found.values())
    jobs: list[BriefJob] = []
    used: dict[str, int] = {}
    for path in unique:
        stem = path.stem
        used[stem] = used.get(stem, 0) + 1
        jobs.append(BriefJob(path, stem if used[stem] == 1 else f"{stem}-{used[stem]}"))
    return jobs, missing


def _up_to_date(json_path: Path, sha256: str, advisor: Advisor) -> Report | None:
    """The existing report when a fresh assessment would make it again: see `made_as_now`."""
    if not json_path.is_file():
        return None
    try:
        report = load_report(json_path)
    except ReportFileError:
        return None  # unreadable or foreign: assess again and overwrite it
    return report if report.provenance.brief_sha256 == sha256 and made_as_now(report, advisor) else None


def made_as_now(report: Report, advisor: Advisor) -> bool:
    """Whether this advisor, as configured now, made the report: same engine and model, same knowledge
    (rates included), same advisor version, same capacity setting, same redaction, and no LLM step that
    fell back.

    A rerun with `--engine llm` after an offline batch, new rates, a new `--capacity` or an upgrade must not
    keep the old figures; nor may a report kept with the team's own words stand in for one asked for
    redacted (or the other way round). Reports whose LLM steps fell back to the offline engine (an outage)
    are assessed again, so rerunning a batch after the endpoint is back mends them.
    """
    made = report.provenance
    capacity = advisor.settings.capacity_fte
    configured = report.plan.timeline.capacity_source == CONFIGURED_CAPACITY
    same_capacity = report.plan.timeline.capacity_fte == capacity if capacity else not configured
    return (
        made.engine == advisor.reasoner.engine
        and made.model == advisor.reasoner.model
        and made.knowledge_version == advisor.knowledge.version
        and made.advisor_version == __version__
        and made.redacted == advisor.settings.redact_reports
        and not made.fallbacks
        and same_capacity
    )


def process_brief(advisor: Advisor, job: BriefJob, out_dir: Path, formats: Sequence[str], force: bool) -> BriefOutcome:
    """Assess one brief (or reuse its up-to-date report) and write its reports; never raises."""
    started = time.perf_counter()
    try:
        brief = read_any_brief(job.path, advisor.settings.max_brief_bytes)
        json_path = out_dir / f"{job.name}.json"
        report = None if force else _up_to_date(json_path, brief.sha256, advisor)
        status: Status = "skipped" if report is not None else "assessed"
        if report is None:
            report = advisor.assess(brief)
        for fmt in formats:
            target = out_dir / f"{job.name}.{fmt}"
            # A skipped brief only gets the formats it lacks (say md was added to --format since the last run).
            if fmt != "json" and (status == "assessed" or not target.exists()):
                write_atomically(target, render(report, fmt))
        if status == "assessed":
            # JSON last: its presence is what a rerun trusts, so it must not appear before the others.
            write_atomically(json_path, render(report, "json"))
        row = row_from_report(report, job.name, str(job.path))
        return BriefOutcome(job, status, row=row, seconds=time.perf_counter() - started)
    except BriefError as exc:
        error = str(exc)
    except OSError as exc:
        error = f"{job.path}: cannot write its report ({exc.strerror or exc})"
    except Exception as exc:  # one broken brief must not stop the portfolio
        error = f"{job.path}: internal error: {type(exc).__name__}: {exc}"
    return BriefOutcome(job, "failed", error=" ".join(error.split()), seconds=time.perf_counter() - started)


def parse_formats(value: str) -> list[str]:
    """'json,md,html' -> ['json', 'md', 'html']; JSON is always included (resume and the portfolio read it)."""
    wanted = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format '{unknown[0]}': choose from {', '.join(FORMATS)}")
    return list(dict.fromkeys(["json", *wanted]))


def run_batch(
    advisor: Advisor,
    jobs: Sequence[BriefJob],
    out_dir: Path,
    formats: Sequence[str] = ("json",),
    workers: int = 1,
    force: bool = False,
    on_done: Callable[[BriefOutcome], None] | None = None,
    processes: bool = False,
) -> list[BriefOutcome]:
    """Process every brief, `workers` at a time; outcomes come back in job order.

    Threads share the given Advisor. With `processes`, each of `workers` processes builds its own Advisor
    from `advisor.settings` (so an Advisor with injected parts should use threads); the given one must
    already have built the store. on_done is called from the calling thread as each brief finishes (for
    progress bars).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    outcomes: dict[int, BriefOutcome] = {}
    if workers <= 1:
        for index, job in enumerate(jobs):
            outcomes[index] = process_brief(advisor, job, out_dir, formats, force)
            if on_done is not None:
                on_done(outcomes[index])
        return [outcomes[i] for i in range(len(jobs))]
    pool: Executor
    if processes:
        from advisor.portfolio.workers import assess_in_worker, worker_pool

        pool = worker_pool(min(workers, len(jobs)), advisor.settings, advisor.audit_as)

        def submit(job: BriefJob) -> Future[BriefOutcome]:
            return pool.submit(assess_in_worker, job, out_dir, list(formats), force)
    else:
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="advisor-batch")

        def submit(job: BriefJob) -> Future[BriefOutcome]:
            return pool.submit(process_brief, advisor, job, out_dir, formats, force)

    try:
        futures = {submit(job): i for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            outcomes[futures[future]] = future.result()
            if on_done is not None:
                on_done(outcomes[futures[future]])
    finally:
        # On Ctrl-C, drop the queued briefs instead of finishing them; finished reports are already on disk.
        pool.shutdown(wait=True, cancel_futures=True)
    return [outcomes[i] for i in range(len(jobs))]
