"""The chat app and its factory, shared by `advisor chat` and the tests."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.theme import BUILTIN_THEMES

from advisor.api import Advisor
from advisor.domain.brief import Brief
from tui.messages import SessionChosen
from tui.opening import Opening
from tui.screens.chat import ChatScreen
from tui.screens.help import HelpScreen
from tui.screens.sessions import SessionsScreen

THEMES = ("textual-dark", "textual-light")
"""The two themes ctrl+t switches between (any installed Textual theme can be given to --theme)."""


def available_themes() -> list[str]:
    """The theme names --theme accepts."""
    return sorted(BUILTIN_THEMES)


class AdvisorApp(App[None]):
    """A chat with the advisor: the chat screen, the plan, the sessions and the keys, over one injected Advisor."""

    CSS_PATH = "app.tcss"
    TITLE = "POC Advisor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Keys"),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        advisor: Advisor,
        *,
        opening: Opening | None = None,
        pick_session: bool = False,
        export_dir: Path | None = None,
        theme: str | None = None,
        thread_ids: Iterable[str] | None = None,
    ) -> None:
        super().__init__()
        self.advisor = advisor
        self.opening = opening or Opening()
        self.pick_session = pick_session
        self.export_dir = export_dir or Path.cwd()
        self._theme_name = theme
        # Ids for sessions started with ctrl+n or from the sessions screen; None lets the library pick.
        self._thread_ids: Iterator[str] | None = iter(thread_ids) if thread_ids is not None else None

    def on_mount(self) -> None:
        """The theme, then the sessions screen or the chat."""
        if self._theme_name:
            self.theme = self._theme_name
        if self.pick_session:
            self.push_screen(SessionsScreen(self.advisor, can_go_back=False))
        else:
            self.push_screen(ChatScreen(self.advisor, self.opening, self.export_dir))

    @property
    def chat(self) -> ChatScreen | None:
        """The chat screen on the stack, if any."""
        return next((s for s in reversed(self.screen_stack) if isinstance(s, ChatScreen)), None)

    def open_chat(self, opening: Opening) -> None:
        """Replace whatever is on screen by a chat on this session."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(ChatScreen(self.advisor, opening, self.export_dir))

    def _busy(self) -> bool:
        chat = self.chat
        if chat is not None and chat.busy:
            self.notify("Still working on the last step…", severity="warning")
            return True
        return False

    def _next_thread_id(self) -> str | None:
        return next(self._thread_ids, None) if self._thread_ids is not None else None

    def action_new_session(self) -> None:
        """Start a new interview from nothing (the one on screen stays saved)."""
        if not self._busy():
            self.open_chat(Opening(thread_id=self._next_thread_id(), max_questions=self.opening.max_questions))

    def action_sessions(self) -> None:
        """Show the stored sessions."""
        if not isinstance(self.screen, SessionsScreen) and not self._busy():
            self.push_screen(SessionsScreen(self.advisor))

    @on(SessionChosen)
    def _chosen(self, event: SessionChosen) -> None:
        if event.thread_id is None:
            self.action_new_session()
        else:
            self.open_chat(Opening(resume=event.thread_id))

    def action_help(self) -> None:
        """Show the keys (f1 again closes them)."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        """Dark to light and back."""
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]


def make_app(
    advisor: Advisor,
    *,
    brief: Brief | str | Path | None = None,
    resume: str | None = None,
    max_questions: int | None = None,
    export_dir: Path | None = None,
    thread_id: str | None = None,
    pick_session: bool = False,
    theme: str | None = None,
    thread_ids: Iterable[str] | None = None,
    opening: Opening | None = None,
) -> AdvisorApp:
    """The chat app around an injected Advisor.

    A new interview from brief (text, a file or a parsed Brief; None: from nothing) with the given
    thread_id, or the session resume names; pick_session opens on the sessions screen instead. opening,
    when given, stands for brief, resume, thread_id and max_questions (`advisor chat` passes one already
    being opened: `tui.opening.opened_in_background`).
    """
    opening = opening or Opening(brief=brief, resume=resume, thread_id=thread_id, max_questions=max_questions)
    return AdvisorApp(
        advisor, opening=opening, pick_session=pick_session, export_dir=export_dir, theme=theme,
        thread_ids=thread_ids,
    )  # fmt: skip
