"""Quick answers read by the question bank, not by a reasoner: picking one is a fact about the project.

A quick answer ("Manual or one-off", "No sponsor yet") is too short for sentence-level reading: the offline
engine found nothing in most of them, so picking one left the scorecard as it was and drew a follow-up.
The bank says what each choice means for its area (`readings` in knowledge/questions.yaml), and code turns
the pick into evidence, the same way every time, on either engine.
"""

from __future__ import annotations

from advisor.domain.evidence import Evidence
from advisor.knowledge.models import Question

QUICK_ANSWER_CONFIDENCE = 0.8
"""Confidence of evidence from a picked quick answer: the team said it in so many words, so a blocker
choice clears the bar for high (0.7) on its own."""


def picked_choice(question: Question, reply: str) -> str | None:
    """The quick answer the reply picks (by its number or its exact words), or None for a free answer."""
    text = reply.strip()
    if text.isdigit() and 1 <= int(text) <= len(question.choices):
        return question.choices[int(text) - 1]
    wanted = text.rstrip(".!").casefold()
    return next((choice for choice in question.choices if choice.casefold() == wanted), None)


def quick_answer_evidence(question: Question, choice: str) -> list[Evidence]:
    """What picking `choice` says about the question's area: one item, or none for "Don't know" and the like."""
    reading = question.readings[question.choices.index(choice)] if question.readings else "none"
    if reading == "none":
        return []
    return [
        Evidence(
            area=question.area,
            quote=choice,
            source=f"answer:{question.id}",
            polarity="mitigation" if reading == "mitigation" else "risk",
            strength="high" if reading == "gap_high" else "medium",
            confidence=QUICK_ANSWER_CONFIDENCE,
            cues=[f"quick answer to {question.id}: read as {reading} by the question bank"],
        )
    ]
