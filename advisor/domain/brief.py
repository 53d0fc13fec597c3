"""The brief: the text a team gives the advisor, after intake checks."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Brief(BaseModel):
    """A project brief accepted by intake."""

    name: str = Field(description="A short name for the brief, usually the file stem.")
    source: str = Field(description="Where the text came from: a file path, 'stdin', or 'api'.")
    text: str = Field(description="The brief's text, decoded as UTF-8 with line endings normalised.")
    sha256: str = Field(description="Hash of the text, so a report can be traced to its input.")
    language: str = Field(default="en", description="Detected language code ('en' or 'other').")
    notices: list[str] = Field(
        default_factory=list, description="Things intake noticed and the user should know (language, injections)."
    )
