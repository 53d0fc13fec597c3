"""A rich progress bar with ETA on stderr, silent when stderr is not a terminal (logs, pipes, CI)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class ProgressReporter:
    """Advance a bar and print lines above it without breaking it."""

    def __init__(self, progress: Progress, console: Console, task: TaskID) -> None:
        self._progress = progress
        self._console = console
        self._task = task

    def advance(self, note: str | None = None) -> None:
        """One item done; note is shown beside the bar."""
        self._progress.update(self._task, advance=1, status=note or "")

    def line(self, text: str) -> None:
        """One line on stderr, never wrapped, markup left as typed (file names may contain brackets)."""
        self._console.print(text, markup=False, highlight=False, soft_wrap=True)


def stderr_console() -> Console:
    """The console for progress and messages: stderr."""
    return Console(stderr=True)


@contextmanager
def progress_bar(total: int, description: str) -> Iterator[ProgressReporter]:
    """A bar of `total` steps with elapsed time and ETA, disabled unless stderr is a terminal."""
    console = stderr_console()
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[status]}", style="dim"),
        console=console,
        disable=not console.is_terminal,
        transient=False,
    )
    with progress:
        task = progress.add_task(description, total=total, status="")
        yield ProgressReporter(progress, console, task)
