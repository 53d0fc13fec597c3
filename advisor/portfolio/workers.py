"""Batch workers in their own processes: each loads the model and opens the store once, so every core reads.

Threads sharing one Advisor keep most of a brief's work behind the GIL (tokenizing, voting, scoring, the
graph and rendering are Python), so `--jobs 2` barely beat `--jobs 1`. A worker process holds its own
Advisor, built from the same settings, and runs the ONNX model on one thread: N workers use N cores with no
thread of one starving another's.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from pathlib import Path

from advisor.api import Advisor
from advisor.audit import Command
from advisor.portfolio.batch import BriefJob, BriefOutcome, process_brief
from advisor.settings import Settings

PROCESS_POOL_MIN_BRIEFS = 200
"""Smallest batch `advisor batch --jobs N` gives worker processes: below it their start-up costs more than
they gain (100 briefs on 2 cores: 9-17 briefs/s with two workers against 14-18 in one process)."""

_advisor: Advisor | None = None
"""The worker process's own Advisor, built once by `_start`."""


def _start(settings: Settings, audit_as: Command | None) -> None:
    """Worker initializer: one ONNX thread per worker (the workers are the parallelism), then the Advisor.

    audit_as is the parent's: a CLI batch records each report itself, so its workers must not record too.
    """
    global _advisor
    os.environ["ADVISOR_ONNX_THREADS"] = "1"
    _advisor = Advisor(settings, audit_as=audit_as)


def assess_in_worker(job: BriefJob, out_dir: Path, formats: Sequence[str], force: bool) -> BriefOutcome:
    """process_brief on the worker's Advisor (never raises, like process_brief)."""
    if _advisor is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("batch worker used before it started")
    return process_brief(_advisor, job, out_dir, formats, force)


def _context() -> BaseContext:
    """A fork server that imported the advisor but started no threads and opened no store (forking a process
    running ONNX or Chroma threads is unsafe); spawn where there is none."""
    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover - macOS and Windows
        return multiprocessing.get_context("spawn")
    server = multiprocessing.get_context("forkserver")
    server.set_forkserver_preload(["advisor.api", "advisor.render"])
    return server


def prestart_workers() -> None:
    """Start the fork server now, so its imports (about 1.5 s) overlap the caller's own start-up."""
    context = _context()
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def worker_pool(workers: int, settings: Settings, audit_as: Command | None) -> ProcessPoolExecutor:
    """A pool of `workers` processes, each with its own Advisor built from `settings`, auditing as `audit_as`."""
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=_start, initargs=(settings, audit_as)
    )
