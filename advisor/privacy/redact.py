"""Deterministic redaction of emails, phone numbers, IBANs, card numbers and titled person names.

Every rule is a regular expression plus, where a checksum exists, the checksum, so the same text always
redacts the same way and a reviewer can say why a span was (or was not) replaced:

- email: ``local@domain.tld``.
- IBAN: two capital letters, two check digits and 11-30 letters or digits (optionally in groups of four
  separated by single spaces), kept only when the ISO 13616 mod-97 check passes.
- card: 13-19 digits, optionally in groups separated by single spaces or dashes (the first group of four
  digits), kept only when the Luhn check passes.
- phone: ``+`` and a country code followed by 8-15 digits in all (``+44 20 7946 0958``,
  ``+1 (555) 123-4567``); a bracketed area code (``(555) 123-4567``); US style ``555-123-4567`` with the same
  separator twice; or a national number starting with the trunk ``0`` with 10-12 digits in all
  (``020 7946 0958``, ``01 23 45 67 89``, ``030 12345678``). A number glued to letters, a dash or a dot on
  either side (ticket ids, versions, IPs), written with thousands commas (``2,300 a day``), or shaped like a
  date is never a phone number.
- person: only a name behind a title (``Mr``, ``Mrs``, ``Ms``, ``Miss``, ``Mx``, ``Dr``, ``Prof``, with or
  without a dot) and a display name right before an email in angle brackets (``Jane Smith <jane@x.org>``).
  Capitalised words alone are not taken for names: briefs are full of system and team names ("Data
  Platform", "Power BI") that must reach the model intact. The title itself stays (``Dr [PERSON]``) so the
  sentence still reads as being about a person.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel, Field

PLACEHOLDERS = {
    "email": "[EMAIL]",
    "phone": "[PHONE]",
    "iban": "[IBAN]",
    "card": "[CARD]",
    "person": "[PERSON]",
}
"""The placeholder that replaces each kind of personal data."""

_LABELS = {
    "email": ("email", "emails"),
    "phone": ("phone number", "phone numbers"),
    "iban": ("IBAN", "IBANs"),
    "card": ("card number", "card numbers"),
    "person": ("person name", "person names"),
}

# Digits glued to a word, a dash, a dot, a slash or a plus belong to something else (JIRA-12345, v1.2.3.4, an IP).
_NUM_START = r"(?<![\w.,/+\-])"
_NUM_END = r"(?![\w\-/]|[.,]\d)"

_NAME_WORD = r"[A-Z][a-z]+(?:['’\-][A-Z]?[a-z]+)?"
_EMAIL = re.compile(r"(?<![\w.%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b")
_NAMED_EMAIL = re.compile(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}(?=\s*<\s*\[EMAIL\]\s*>)")
_TITLED = re.compile(rf"\b(?P<title>(?:Mrs|Mr|Ms|Miss|Mx|Dr|Prof)\.?\s+)(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})?)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_CARD = re.compile(rf"{_NUM_START}\d(?:[ \-]?\d){{12,18}}{_NUM_END}")
_PHONES = (
    re.compile(rf"(?<![\w+])\+\d{{1,3}}(?:[ .\-]?(?:\(\d{{1,4}}\)|\d{{1,5}})){{2,6}}{_NUM_END}"),
    re.compile(rf"(?<![\w(])\(\d{{2,5}}\)[ .\-]?\d{{3,4}}[ .\-]?\d{{3,4}}{_NUM_END}"),
    re.compile(rf"{_NUM_START}\d{{3}}([ .\-])\d{{3}}\1\d{{4}}{_NUM_END}"),
    re.compile(rf"{_NUM_START}0\d{{1,4}}(?:[ .\-]?\d{{2,8}}){{1,4}}{_NUM_END}"),
)
_DATE = re.compile(r"\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}")


class Redaction(BaseModel):
    """A text with its personal data replaced by placeholders, and how many of each kind were replaced."""

    text: str = Field(description="The text with [EMAIL], [PHONE], [IBAN], [CARD] and [PERSON] placeholders.")
    counts: dict[str, int] = Field(
        default_factory=dict, description="Replacements per kind (email, phone, iban, card, person); zeros left out."
    )


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _iban_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _card_valid(candidate: str) -> bool:
    digits = _digits(candidate)
    separated = re.split(r"[ \-]", candidate)
    # Grouped digits are a card only in card groupings (4-4-4-4, 4-6-5): '1 234 567 890 123' is an amount.
    if len(separated) > 1 and len(separated[0]) != 4:
        return False
    return 13 <= len(digits) <= 19 and _luhn(digits)


def _phone_valid(candidate: str) -> bool:
    digits = _digits(candidate)
    if _DATE.fullmatch(candidate):
        return False
    if candidate.startswith("+"):
        return 8 <= len(digits) <= 15
    if candidate.startswith("0") and "(" not in candidate:
        return 10 <= len(digits) <= 12
    return 10 <= len(digits) <= 11


def _replace(
    pattern: re.Pattern[str], text: str, placeholder: str, valid: Callable[[str], bool] | None = None
) -> tuple[str, int]:
    count = 0

    def substitute(match: re.Match[str]) -> str:
        nonlocal count
        if valid is not None and not valid(match.group(0)):
            return match.group(0)
        count += 1
        return placeholder

    return pattern.sub(substitute, text), count


def redact(text: str) -> Redaction:
    """The text with emails, IBANs, card numbers, phone numbers and titled person names replaced."""
    counts: dict[str, int] = {}

    def add(kind: str, found: int) -> None:
        if found:
            counts[kind] = counts.get(kind, 0) + found

    # Emails first (their digits are not phone numbers), then the checksummed numbers, then phones.
    text, found = _replace(_EMAIL, text, PLACEHOLDERS["email"])
    add("email", found)
    text, found = _replace(_NAMED_EMAIL, text, PLACEHOLDERS["person"])
    add("person", found)
    text, found = _replace(_IBAN, text, PLACEHOLDERS["iban"], _iban_valid)
    add("iban", found)
    text, found = _replace(_CARD, text, PLACEHOLDERS["card"], _card_valid)
    add("card", found)
    for pattern in _PHONES:
        text, found = _replace(pattern, text, PLACEHOLDERS["phone"], _phone_valid)
        add("phone", found)
    persons = 0

    def titled(match: re.Match[str]) -> str:
        nonlocal persons
        persons += 1
        return match.group("title") + PLACEHOLDERS["person"]

    text = _TITLED.sub(titled, text)
    add("person", persons)
    return Redaction(text=text, counts=counts)


def describe_counts(counts: dict[str, int]) -> str:
    """'2 emails, 1 phone number' in a fixed order; an empty string when nothing was redacted."""
    parts = []
    for kind, (one, many) in _LABELS.items():
        found = counts.get(kind, 0)
        if found:
            parts.append(f"{found} {one if found == 1 else many}")
    return ", ".join(parts)
