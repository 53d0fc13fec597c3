"""The conversation pane: questions, answers, explanations and notices."""

from __future__ import annotations

from typing import Literal

from textual.containers import VerticalScroll

from advisor.domain.interview import PendingQuestion
from tui.widgets.chat_message import ChatMessage

Kind = Literal["question", "answer", "why", "notice"]


def question_markdown(question: PendingQuestion) -> str:
    """A question as shown in the pane (its quick answers are offered under the input)."""
    label = " · follow-up" if question.is_follow_up else ""
    lines = [f"**Q{question.number}/{question.expected}** · *{question.area}*{label}", "", question.text]
    return "\n".join(lines)


class Conversation(VerticalScroll):
    """The chat history, newest at the bottom."""

    can_focus = False

    def add(self, kind: Kind, markdown: str) -> ChatMessage:
        """Append one message and keep the newest in view."""
        message = ChatMessage(markdown, classes=f"message {kind}")
        self.mount(message)
        # Anchored once the message is laid out (before that its height is unknown and the scroll lands
        # short, even above the top), the pane then follows what grows below; a new message re-anchors it
        # after the user scrolled up.
        self.call_after_refresh(self.anchor)
        return message

    def texts(self) -> list[str]:
        """The Markdown source of every message (for tests and copy)."""
        return [m.source for m in self.query(ChatMessage)]
