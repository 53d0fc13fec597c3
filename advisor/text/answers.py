"""Whether an interview answer says enough to score: the offline judgement, plain rules."""

from __future__ import annotations

import re

_DONT_KNOW = re.compile(
    r"\b(?:don'?t know|do not know|dunno|not sure|no idea|unsure|can'?t say|no clue|pass|n/?a|idk|maybe|depends)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")


def is_vague(answer: str, found_evidence_for_area: bool) -> bool:
    """An answer too thin to score: 'not sure', or a few words that show nothing about the area."""
    if found_evidence_for_area:
        return False
    return bool(_DONT_KNOW.search(answer)) or len(_WORD.findall(answer)) < 6
