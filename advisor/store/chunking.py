"""Turning knowledge files and user documents into store chunks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from advisor.knowledge.loader import KnowledgeBase

SIGNAL_LABELS = ("gap_high", "gap_medium", "mitigation", "neutral")


@dataclass(frozen=True)
class Chunk:
    """One document to embed, with its id and metadata."""

    id: str
    text: str
    metadata: dict[str, Any]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def knowledge_chunks(kb: KnowledgeBase) -> list[Chunk]:
    """Card sections, questions and remediation actions, each a passage with its area."""
    chunks: list[Chunk] = []
    for area, card in kb.cards.items():
        for heading, body in card.sections.items():
            if not body:
                continue
            chunks.append(
                Chunk(
                    id=f"card:{area}:{_slug(heading)}",
                    text=f"{card.title}: {heading}\n{body}",
                    metadata={"area": area, "kind": "card", "title": f"{card.title} / {heading}", "source": card.path},
                )
            )
    for question in kb.questions:
        chunks.append(
            Chunk(
                id=f"question:{question.id}",
                text=f"{question.text}\nWhy it matters: {question.why}",
                metadata={"area": question.area, "kind": "question", "title": question.id, "source": "questions.yaml"},
            )
        )
    for action in kb.actions.values():
        chunks.append(
            Chunk(
                id=f"action:{action.id}",
                text=f"{action.title}\n{action.why}",
                metadata={"area": action.area, "kind": "action", "title": action.title, "source": "remediation.yaml"},
            )
        )
    return chunks


def signal_chunks(kb: KnowledgeBase) -> list[Chunk]:
    """Every labelled example sentence, tagged with its area and label."""
    chunks: list[Chunk] = []
    for area, bank in kb.signals.items():
        for label in SIGNAL_LABELS:
            for index, sentence in enumerate(getattr(bank, label)):
                chunks.append(
                    Chunk(id=f"signal:{area}:{label}:{index}", text=sentence, metadata={"area": area, "label": label})
                )
    return chunks


def split_document(text: str, max_chars: int = 900) -> list[str]:
    """Paragraph-packed pieces of a user document, each at most about max_chars."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    pieces: list[str] = []
    current = ""
    for paragraph in paragraphs:
        while len(paragraph) > max_chars:
            cut = paragraph.rfind(" ", 0, max_chars)
            cut = cut if cut > max_chars // 2 else max_chars
            if current:
                pieces.append(current)
                current = ""
            pieces.append(paragraph[:cut].strip())
            paragraph = paragraph[cut:].strip()
        if current and len(current) + len(paragraph) + 2 > max_chars:
            pieces.append(current)
            current = paragraph
        else:
            current = f"{current}\n\n{paragraph}" if current else paragraph
    if current:
        pieces.append(current)
    return pieces
