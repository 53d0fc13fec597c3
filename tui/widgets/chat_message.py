"""One message of the conversation: light Markdown (bold, italics, code) drawn as a single Static.

Textual's Markdown widget builds a widget per block and mounts them asynchronously, which took about
200 ms per message here, most of the time between an answer and the next question on screen; messages
only ever use bold, italics and inline code, so they are converted to content markup instead.
"""

from __future__ import annotations

import re

from textual.markup import escape
from textual.widgets import Static

_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")


def to_markup(markdown: str) -> str:
    """Bold, italics and inline code as Textual content markup; everything else is shown as written."""
    text = escape(markdown)
    text = _CODE.sub(r"[$text-accent]\1[/]", text)
    text = _BOLD.sub(r"[b]\1[/b]", text)
    return _ITALIC.sub(r"[i]\1[/i]", text)


class ChatMessage(Static):
    """A question, answer, explanation or notice; source keeps the Markdown it was given."""

    def __init__(self, markdown: str, *, classes: str = "") -> None:
        super().__init__(to_markup(markdown), classes=classes)
        self.source = markdown
