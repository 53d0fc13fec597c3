"""The keys, on a screen of their own (f1 opens and closes it)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

KEYS = """\
# Keys

| key | what it does |
| --- | --- |
| enter | send the answer; a number picks that quick answer |
| shift+tab / tab | move between the quick answers, the input and the scorecard |
| ctrl+w | why this question matters (or type `why`) |
| ctrl+s | skip: ask me later (or type `skip`) |
| ctrl+d | done: build and show the plan (or type `done`) |
| ctrl+e | export Markdown, JSON and HTML to the current folder |
| ctrl+n | new session, from nothing |
| ctrl+o | the sessions: resume, delete, start new |
| ctrl+t | switch between the dark and the light theme |
| escape | back (from the plan, the sessions, this screen) |
| f1 | this screen |
| ctrl+q | quit (every answer is already saved) |
"""


class HelpScreen(ModalScreen[None]):
    """Every key in one table; escape or f1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        """The table, in a bordered box."""
        with VerticalScroll(id="help-box"):
            yield Markdown(KEYS, id="help-keys")

    def action_close(self) -> None:
        """Back to where f1 was pressed."""
        self.dismiss()
