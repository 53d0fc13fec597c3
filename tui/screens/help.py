"""The keys, on a screen of their own (f1 opens and closes it)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, str]] = [
    ("enter", "send the answer; a number picks that quick answer"),
    ("tab / shift+tab", "move between the input, the quick answers and the scorecard"),
    ("ctrl+w", "why this question matters (or type: why)"),
    ("ctrl+s", "skip: ask me later (or type: skip)"),
    ("ctrl+d", "done: build and show the plan (or type: done)"),
    ("ctrl+e", "export Markdown, JSON and HTML to the current folder"),
    ("ctrl+n", "new session, from nothing"),
    ("ctrl+o", "the sessions: resume, delete, start a new one"),
    ("ctrl+t", "switch between the dark and the light theme"),
    ("escape", "back (from the plan, the sessions, this screen)"),
    ("f1", "this screen"),
    ("ctrl+q", "quit (every answer is already saved)"),
]
"""Every key of the chat, in the order a new user needs them."""


def keys_table() -> Table:
    """The keys as a borderless two-column table (fits 80 columns)."""
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, what in KEYS:
        table.add_row(key, what)
    return table


class HelpScreen(ModalScreen[None]):
    """Every key in one table; escape or f1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        """The table, in a bordered box."""
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "escape closes"
            yield Static(keys_table(), id="help-keys")

    def action_close(self) -> None:
        """Back to where f1 was pressed."""
        self.dismiss()
