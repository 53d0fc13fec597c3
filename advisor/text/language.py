"""A cheap English check: the offline engine reads English, and must say so when it cannot."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ENGLISH = frozenset(
    (
        "the a an and or of to in on for with is are was were be been we our it this that they their there "
        "have has had not no but by from at as will would can could should do does did which who what when "
        "how all any more most some such only also into than then so if about after before "
    ).split()
)


def english_share(text: str) -> float:
    """Share of words that are common English function words (about 0.3-0.5 for English prose)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return 0.0
    return sum(w in _ENGLISH for w in words) / len(words)


def looks_english(text: str) -> bool:
    """False for text that is mostly another language."""
    words = _WORD.findall(text)
    return len(words) < 8 or english_share(text) >= 0.12
