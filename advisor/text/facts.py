"""Facts code can check: the team's timeline, the value at stake, team size, project scale."""

from __future__ import annotations

import math
import re

from advisor.domain.evidence import Fact
from advisor.text.sentences import Sentence

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18, "twenty": 20, "a": 1, "a couple of": 2,
    "a few": 3,
}  # fmt: skip
_NUM = r"(\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty)"
_GOLIVE = re.compile(
    r"\b(?:production|prod|live|go[- ]live|launch\w*|roll[- ]?out|deploy\w*|ship\w*|rolled out|in use|release)\b",
    re.IGNORECASE,
)
_DURATION = re.compile(
    rf"\b(?:in|within|by|next|over|about|around|of)\s+(?:the\s+next\s+)?{_NUM}\s*(weeks?|months?)\b", re.I
)
_QUARTER = re.compile(r"\b(?:next|this|following) quarter\b|\bend of (?:the |this )?quarter\b", re.IGNORECASE)
_MONEY = re.compile(
    r"(?:(?P<cur>[$€£])\s?(?P<amt>\d+(?:[.,]\d+)?)\s?(?P<mult>k|m|bn|b|million|billion|thousand)?"
    r"|(?P<amt2>\d+(?:[.,]\d+)?)\s?(?P<mult2>k|m|million|thousand)?\s?(?P<cur2>usd|eur|gbp|dollars|euros|pounds))\b",
    re.IGNORECASE,
)
_PER_YEAR = re.compile(
    r"\b(?:per|a|each|every) year\b|\bannual(?:ly)?\b|\byearly\b|/\s?(?:yr|year)\b|\bp\.?a\.?\b", re.I
)
_PER_MONTH = re.compile(r"\b(?:per|a|each|every) month\b|\bmonthly\b|/\s?(?:mo|month)\b", re.IGNORECASE)
_VALUE = re.compile(
    r"\b(?:sav\w*|revenue|worth|value|benefit|reduc\w*|cost(?:s|ing)? us|los(?:e|s|ing)|leak\w*|uplift|"
    r"recover\w*|avoid\w*|write[- ]offs?|churn\w*|fraud)\b",
    re.IGNORECASE,
)
_TEAM = re.compile(
    rf"\bteam of {_NUM}\b|\b{_NUM} (?:people|fte|ftes|engineers|data scientists|analysts|developers)\b", re.I
)
_LARGE = re.compile(
    r"\b(?:millions?|billions?|nationwide|national|global|enterprise[- ]wide|all (?:regions|branches|stores|sites|"
    r"plants|countries|markets)|every (?:branch|store|site|plant|region)|\d{2,} (?:countries|markets|plants|sites|"
    r"hospitals|regions)|\d{3,},?\d{3} (?:customers|users|transactions|claims|requests|calls|orders|patients))\b",
    re.IGNORECASE,
)
_SMALL = re.compile(
    r"\b(?:one (?:team|department|site|plant|line|region|clinic|branch)|single (?:team|department|site|plant|line|"
    r"region)|(?:for|by) (?:about |around )?\d{1,2} (?:users|people|analysts|agents|staff)|small internal|"
    r"handful of users)\b",
    re.IGNORECASE,
)


def _number(text: str) -> float:
    text = text.lower()
    return float(_NUMBER_WORDS[text]) if text in _NUMBER_WORDS else float(text)


def _money(match: re.Match[str]) -> float:
    amount = float((match.group("amt") or match.group("amt2")).replace(",", ""))
    mult = (match.group("mult") or match.group("mult2") or "").lower()
    factor = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}.get(mult, 1.0)
    return amount * factor


def extract_facts(sentences: list[Sentence], source: str) -> list[Fact]:
    """The first timeline, value, team-size and scale facts found, each with its quote."""
    found: dict[str, Fact] = {}
    scale_votes = {"large": 0, "small": 0}
    for sentence in sentences:
        text = sentence.text
        where = f"{source}#s{sentence.index}"
        if "timeline_months" not in found and _GOLIVE.search(text):
            duration = _DURATION.search(text)
            if duration:
                months = round(
                    _number(duration.group(1)) * (1.0 if duration.group(2).lower().startswith("month") else 12 / 52),
                    1,
                )
                # "in 0 weeks" or a 400-digit number is no timeline: 0 or inf months would break the realism check.
                if 0 < months < math.inf:
                    found["timeline_months"] = Fact(kind="timeline_months", value=months, quote=text, source=where)
            elif _QUARTER.search(text):
                found["timeline_months"] = Fact(kind="timeline_months", value=3.0, quote=text, source=where)
        if _VALUE.search(text) and (_PER_YEAR.search(text) or _PER_MONTH.search(text)):
            # A number too long for a float reads as inf, which a JSON report cannot carry: not a value.
            amounts = [amount for m in _MONEY.finditer(text) if math.isfinite(amount := _money(m))]
            if amounts:
                # "members spend $96 a year; keeping them is worth $6M a year": the value at stake is the largest.
                per_year = max(amounts) * (12 if _PER_MONTH.search(text) and not _PER_YEAR.search(text) else 1)
                previous = found.get("value_per_year")
                if math.isfinite(per_year) and (previous is None or per_year > float(previous.value)):
                    found["value_per_year"] = Fact(kind="value_per_year", value=per_year, quote=text, source=where)
        if "team_size" not in found:
            team = _TEAM.search(text)
            if team:
                size = _number(team.group(1) or team.group(2))
                if 1 <= size <= 200:
                    found["team_size"] = Fact(kind="team_size", value=size, quote=text, source=where)
        if _LARGE.search(text):
            scale_votes["large"] += 1
            found.setdefault("scale", Fact(kind="scale", value="large", quote=text, source=where))
        elif _SMALL.search(text):
            scale_votes["small"] += 1
            found.setdefault("scale_small", Fact(kind="scale", value="small", quote=text, source=where))
    scale = found.pop("scale", None)
    small = found.pop("scale_small", None)
    if scale_votes["large"] >= max(1, scale_votes["small"]) and scale:
        found["scale"] = scale
    elif small:
        found["scale"] = small
    return list(found.values())
