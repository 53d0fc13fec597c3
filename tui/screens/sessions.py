"""The sessions screen: every stored interview, to resume, delete, or start a new one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from advisor.session import SessionInfo
from tui.messages import SessionChosen

if TYPE_CHECKING:
    from advisor.api import Advisor


def state_label(info: SessionInfo) -> str:
    """'finished: not_ready' or 'in progress'."""
    return f"finished: {info.verdict}" if info.finished else "in progress"


class SessionsScreen(Screen[None]):
    """A table of sessions, newest first; enter resumes the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "resume", "Resume", show=False),
        Binding("n", "new", "New session"),
        Binding("d,delete", "delete", "Delete"),
        Binding("r", "reload", "Reload"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, advisor: Advisor, *, can_go_back: bool = True) -> None:
        super().__init__()
        self.advisor = advisor
        self.can_go_back = can_go_back
        self.sessions: list[SessionInfo] = []
        self._armed: str | None = None
        """The session a first delete press picked; a second press on it deletes."""

    def compose(self) -> ComposeResult:
        """A hint line over the table."""
        yield Header()
        yield Static("Loading the sessions…", id="sessions-hint")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the list (read in a worker: a Postgres checkpointer may be across the network)."""
        self.sub_title = "sessions"
        table = self.query_one(DataTable)
        # Fixed widths: auto widths were computed from the header alone when the screen was pushed over another.
        for label, width in (("Session", 14), ("Brief", 26), ("Asked", 5), ("State", 28)):
            table.add_column(label, width=width)
        self.action_reload()

    def action_reload(self) -> None:
        """Read the sessions again."""
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        try:
            sessions = self.advisor.sessions()
        except Exception as exc:  # a notice, never a traceback
            self.app.call_from_thread(self.notify, f"Could not list the sessions: {exc}", severity="error")
            return
        self.app.call_from_thread(self._show, sessions)

    def _show(self, sessions: list[SessionInfo]) -> None:
        self.sessions = sessions
        table = self.query_one(DataTable)
        table.clear()
        for info in sessions:
            table.add_row(info.thread_id, info.brief, str(info.asked), state_label(info), key=info.thread_id)
        hint = self.query_one("#sessions-hint", Static)
        if sessions:
            hint.update(f"{len(sessions)} session(s). enter resumes · n starts a new one · d deletes")
        else:
            hint.update("No sessions yet. Press n to start one.")
        table.focus()

    def _highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.sessions or table.cursor_row < 0:
            return None
        return self.sessions[min(table.cursor_row, len(self.sessions) - 1)].thread_id

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_resume()

    def action_resume(self) -> None:
        """Open the highlighted session where it was left."""
        if (thread_id := self._highlighted()) is not None:
            self.post_message(SessionChosen(thread_id))

    def action_new(self) -> None:
        """Start a new interview from nothing."""
        self.post_message(SessionChosen(None))

    def action_delete(self) -> None:
        """Delete the highlighted session: the first press asks, the second deletes."""
        thread_id = self._highlighted()
        if thread_id is None:
            return
        if self._armed != thread_id:
            self._armed = thread_id
            self.notify(f"Press d again to delete session {thread_id} and all its answers.", severity="warning")
            return
        self._armed = None
        self._delete(thread_id)

    @work(thread=True, exit_on_error=False)
    def _delete(self, thread_id: str) -> None:
        try:
            self.advisor.delete_session(thread_id)
        except Exception as exc:  # a notice, never a traceback
            self.app.call_from_thread(self.notify, f"Could not delete {thread_id}: {exc}", severity="error")
            return
        self.app.call_from_thread(self.notify, f"Deleted session {thread_id}.")
        self.app.call_from_thread(self.action_reload)

    def action_back(self) -> None:
        """Back to the chat (when there is one under this screen)."""
        if self.can_go_back:
            self.dismiss()
