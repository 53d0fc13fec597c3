"""Messages the widgets post to the app."""

from __future__ import annotations

from textual.message import Message


class AnswerSubmitted(Message):
    """The user replied to the question on screen (free text or a quick answer)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class AreaSelected(Message):
    """The user picked an area in the scorecard."""

    def __init__(self, area: str) -> None:
        super().__init__()
        self.area = area


class SessionChosen(Message):
    """The user picked a session to resume on the sessions screen (None: start a new one)."""

    def __init__(self, thread_id: str | None) -> None:
        super().__init__()
        self.thread_id = thread_id
