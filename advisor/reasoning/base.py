"""The Reasoner interface every engine implements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, Field

from advisor.domain.areas import AreaId
from advisor.domain.evidence import Evidence, Fact


class Extraction(BaseModel):
    """What a reasoner read from a text: proposals for code to judge."""

    evidence: list[Evidence] = Field(default_factory=list, description="Quotes with area and polarity.")
    facts: list[Fact] = Field(default_factory=list, description="Checkable facts (timeline, value, team, scale).")
    notices: list[str] = Field(default_factory=list, description="What the reader skipped or could not read.")
    fallbacks: list[str] = Field(
        default_factory=list, description="Steps an LLM engine could not do and handed to the offline engine."
    )
    llm_calls: int = Field(default=0, description="Requests sent to an LLM endpoint for this extraction.")
    tokens: int = Field(default=0, description="Prompt plus completion tokens those requests used.")


class Wording(BaseModel):
    """Text a reasoner wrote (a question, a narrative), with what it cost."""

    text: str = Field(description="The text to show.")
    fallback: str | None = Field(default=None, description="Why the offline engine wrote it instead, if it did.")
    llm_calls: int = Field(default=0, description="Requests sent to an LLM endpoint.")
    tokens: int = Field(default=0, description="Tokens those requests used.")


class Judgement(BaseModel):
    """Whether an answer says enough to score, with what the judgement cost."""

    sufficient: bool = Field(description="True when the answer can be scored; False asks one follow-up.")
    reason: str = Field(default="", description="Why, in a few words.")
    fallback: str | None = Field(default=None, description="Why the offline engine judged instead, if it did.")
    llm_calls: int = Field(default=0, description="Requests sent to an LLM endpoint.")
    tokens: int = Field(default=0, description="Tokens those requests used.")


class Reasoner(Protocol):
    """Reads text and proposes evidence."""

    @property
    def engine(self) -> str:
        """'offline' or 'llm'."""
        ...

    @property
    def model(self) -> str:
        """The model behind the engine."""
        ...

    def extract(self, text: str, source: str, area_hint: AreaId | None = None, context: str = "") -> Extraction:
        """Evidence and facts found in text; source labels the quotes (e.g. 'brief:retail.md').

        area_hint and context are given for an interview answer: the question's area and its text.
        """
        ...

    def phrase_question(self, question: str, why: str, known: str) -> Wording:
        """The bank question, phrased for this team given what is already known (same meaning)."""
        ...

    def judge_answer(self, question: str, answer: str, found_on_area: bool) -> Judgement:
        """Whether the answer says enough to score the question's area."""
        ...

    def narrate(self, facts: str, draft: str) -> Wording:
        """A short narrative of the report; it may only restate the facts code computed."""
        ...


@runtime_checkable
class StreamingNarrator(Protocol):
    """A reasoner that can write the narrative token by token (the LLM engine)."""

    def narrate_stream(self, facts: str, draft: str, emit: Callable[[str], None]) -> Wording:
        """narrate(), handing each chunk to emit as it arrives; the returned Wording is the guarded whole."""
        ...
