"""Interview records: the question being asked and what was asked before."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from advisor.domain.areas import AreaId

AnswerStatus = Literal["answered", "vague", "skipped"]


class PendingQuestion(BaseModel):
    """The question on screen, waiting for the team's reply."""

    question_id: str = Field(description="Question bank id.")
    area: AreaId = Field(description="The risk area the answer informs.")
    text: str = Field(description="The question as shown (the follow-up text when is_follow_up).")
    why: str = Field(description="Why the answer matters.")
    choices: list[str] = Field(default_factory=list, description="Quick answers offered; free text is always fine.")
    is_follow_up: bool = Field(default=False, description="True when this re-asks a vague answer more sharply.")
    number: int = Field(description="1-based number of this question in the interview.")
    expected: int = Field(description="Most questions the interview will ask.")
    explanation: str = Field(default="", description="The reason shown after the user asked 'why?'.")


class AskedQuestion(BaseModel):
    """One question already put to the team, with what they said."""

    question_id: str = Field(description="Question bank id.")
    area: AreaId = Field(description="Area of the question.")
    text: str = Field(description="The question as asked.")
    answer: str = Field(default="", description="The reply, verbatim ('' when skipped).")
    status: AnswerStatus = Field(description="answered, vague (still unclear after a follow-up) or skipped.")
    evidence: int = Field(default=0, description="Evidence items the answer yielded.")
