"""What the offline reader gives the embedding model for each sentence of a text."""

from __future__ import annotations

from advisor.text.injection import is_instruction_to_advisor
from advisor.text.sentences import Sentence, split_sentences


def embedded_text(sentence: Sentence) -> str:
    """The text the model reads for a sentence: a short heading ("Security", "Team") goes in front of a
    terse bullet, to tell the embedding which area it is about."""
    if sentence.heading and len(sentence.heading.split()) <= 4 and len(sentence.text.split()) < 12:
        return f"{sentence.heading}: {sentence.text}"
    return sentence.text


def readable_and_instructions(text: str) -> tuple[list[Sentence], list[Sentence]]:
    """The text's sentences split in two: those read as evidence, and orders aimed at the advisor (never read)."""
    readable: list[Sentence] = []
    instructions: list[Sentence] = []
    for sentence in split_sentences(text):
        (instructions if is_instruction_to_advisor(sentence.text) else readable).append(sentence)
    return readable, instructions


def texts_embedded_for(text: str) -> list[str]:
    """What `OfflineReasoner.extract` embeds for a text read without a question (a brief), in its order.

    The `advisor` script embeds these ahead, on its model thread, while the program imports: the reader
    then finds them in the embedder's cache (the same texts in one call, so the same vectors). This module
    imports nothing heavy, so that thread does not wait on the program's own imports.
    """
    return [embedded_text(s) for s in readable_and_instructions(text)[0]]
