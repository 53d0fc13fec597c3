"""User settings: environment variables (ADVISOR_*), an optional TOML config file, then defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

DEFAULT_MAX_BRIEF_BYTES = 256 * 1024


def _xdg(var: str, fallback: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / fallback)


def default_config_file() -> Path:
    """Where the config file is looked for unless ADVISOR_CONFIG_FILE names another."""
    return Path(
        os.environ.get("ADVISOR_CONFIG_FILE") or _xdg("XDG_CONFIG_HOME", ".config") / "poc-advisor" / "config.toml"
    )


class Settings(BaseSettings):
    """Everything a user can configure; each field can be set as ADVISOR_<NAME> or in config.toml."""

    model_config = SettingsConfigDict(env_prefix="ADVISOR_", extra="ignore")

    data_dir: Path = Field(
        default_factory=lambda: _xdg("XDG_DATA_HOME", ".local/share") / "poc-advisor",
        description="Folder for the knowledge store, sessions and user documents.",
    )
    store_path: Path | None = Field(
        default=None, description="Folder of the Chroma PersistentClient; defaults to <data_dir>/chroma."
    )
    chroma_url: str | None = Field(
        default=None, description="A Chroma server (http://host:port) to use instead of the local folder."
    )
    knowledge_dir: Path | None = Field(default=None, description="Knowledge folder to load instead of the bundled one.")
    rates_file: Path | None = Field(
        default=None, description="YAML file overriding role rates (same shape as knowledge/rates.yaml)."
    )
    max_brief_bytes: int = Field(
        default=DEFAULT_MAX_BRIEF_BYTES, gt=0, description="Largest brief accepted, in bytes of text."
    )
    sessions_file: Path | None = Field(
        default=None, description="SQLite file of interview checkpoints; defaults to <data_dir>/sessions.sqlite."
    )
    postgres_url: str | None = Field(
        default=None, description="Postgres URL for interview checkpoints instead of SQLite (scale-out)."
    )
    engine: Literal["offline", "llm"] = Field(
        default="offline", description="Who reads the text: the offline engine, or an OpenAI-compatible LLM."
    )
    max_questions: int = Field(default=15, ge=1, le=60, description="Most questions an interview asks.")
    capacity_fte: float | None = Field(
        default=None, gt=0, description="People available for remediation when the brief does not say."
    )
    audit: bool = Field(
        default=True, description="Append a record of every assessment to the audit log (ADVISOR_AUDIT=false: off)."
    )
    audit_log: Path | None = Field(
        default=None, description="JSON Lines audit log of assessments; defaults to <data_dir>/audit.jsonl."
    )
    redact_reports: bool = Field(
        default=False,
        description="Show personal data in reports' quotes and summary as placeholders ([EMAIL], [PHONE], …).",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments win, then the environment, then the config file."""
        toml = TomlConfigSettingsSource(settings_cls, toml_file=default_config_file())
        return (init_settings, env_settings, toml)

    @property
    def sessions_path(self) -> Path:
        """The resolved SQLite checkpoint file."""
        return self.sessions_file or self.data_dir / "sessions.sqlite"

    @property
    def audit_path(self) -> Path:
        """The resolved audit log file."""
        return self.audit_log or self.data_dir / "audit.jsonl"

    @property
    def chroma_path(self) -> Path:
        """The resolved Chroma folder."""
        return self.store_path or self.data_dir / "chroma"
