"""Which session the chat opens, and opening it: no Textual here, so `advisor chat` can start it early."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.domain.brief import Brief
from advisor.session import Session

if TYPE_CHECKING:
    from advisor.api import Advisor


@dataclass(frozen=True)
class Opening:
    """Which session the chat opens: a new one (from a brief, text or nothing) or a stored one."""

    brief: Brief | str | Path | None = None
    """What a new interview starts from (None: from nothing)."""
    resume: str | None = None
    """The id of a stored session to resume (wins over brief)."""
    thread_id: str | None = None
    """The id a new session gets (None: a random one); tests and hosts fix it."""
    max_questions: int | None = None
    """Most questions a new interview asks (None: the settings' default)."""
    started: Future[Session] | None = None
    """This session already being opened (see `opened_in_background`); None: open it when asked."""

    def open(self, advisor: Advisor) -> Session:
        """The session at its first (or next) question (blocking: call from a worker)."""
        if self.started is not None:
            return self.started.result()  # raises what opening raised, reported as any failure of opening
        if self.resume:
            return advisor.resume(self.resume)
        return advisor.start_interview(self.brief, thread_id=self.thread_id, max_questions=self.max_questions)


def opened_in_background(advisor: Advisor, opening: Opening) -> Opening:
    """The opening with its session already being opened on a thread of its own, started now.

    `advisor chat` calls it before importing the UI, so that importing and starting Textual (about half a
    second) and reading the brief (the model runs with the GIL released) overlap. Whatever opening raises
    is raised again where the chat screen waits for it, and shown there as a notice.
    """
    future: Future[Session] = Future()

    def run() -> None:
        future.set_running_or_notify_cancel()
        try:
            future.set_result(opening.open(advisor))
        except BaseException as exc:  # handed to the screen, which reports it in one line
            future.set_exception(exc)

    # A daemon: quitting the chat before the brief is read must not wait for it.
    threading.Thread(target=run, name="advisor-open-session", daemon=True).start()
    return replace(opening, started=future)
