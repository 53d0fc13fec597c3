"""Splitting a brief into sentences that keep their position, so every quote can be traced."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = (
    "e.g.",
    "i.e.",
    "etc.",
    "vs.",
    "approx.",
    "incl.",
    "dept.",
    "no.",
    "mr.",
    "ms.",
    "dr.",
    "inc.",
    "ltd.",
)
_BULLET = re.compile(r"^\s*(?:[-*+•·]|\d+[.)]|[a-z][.)])\s+", re.IGNORECASE)
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_BOUNDARY = re.compile(r"(?<=[.!?;])\s+(?=[\"'(\[]?[A-Z0-9])")
_MIN_WORDS = 3


@dataclass(frozen=True)
class Sentence:
    """A sentence of the brief with its index (for 'brief#s<n>' sources) and the heading above it."""

    index: int
    text: str
    heading: str


def _protect(text: str) -> str:
    for abbreviation in _ABBREVIATIONS:
        # Replace the matched text itself, not the lower-case spelling: "E.G." must come back as "E.G." so the
        # quote stays the team's own words.
        text = re.sub(re.escape(abbreviation), lambda m: m.group(0).replace(".", "\u2024"), text, flags=re.IGNORECASE)
    return text


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a Markdown or plain-text brief; bullets and lines are sentence boundaries too."""
    sentences: list[Sentence] = []
    heading = ""
    paragraph: list[str] = []

    def flush() -> None:
        if not paragraph:
            return
        joined = _protect(" ".join(paragraph))
        for piece in _BOUNDARY.split(joined):
            piece = piece.replace("\u2024", ".").strip(" \t*_>")
            if len(piece.split()) >= _MIN_WORDS:
                sentences.append(Sentence(len(sentences), piece, heading))
        paragraph.clear()

    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line or set(line) <= set("-=*_|: "):
            flush()
            continue
        if _HEADING.match(line):
            flush()
            heading = _HEADING.sub("", line).strip(" #*")
            continue
        if _BULLET.match(line):
            flush()
            line = _BULLET.sub("", line)
        elif line.startswith("|"):
            flush()
            line = " ".join(cell.strip() for cell in line.strip("|").split("|") if cell.strip())
        paragraph.append(line)
        if raw_line.lstrip().startswith("|"):
            flush()
    flush()
    return sentences
