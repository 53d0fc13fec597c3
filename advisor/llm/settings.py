"""Settings of the LLM engine: ADVISOR_LLM_* environment variables, the [llm] table of config.toml, defaults."""

from __future__ import annotations

import ipaddress
import tomllib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, InitSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from advisor.settings import default_config_file

Redact = Literal["auto", "on", "off"]
"""Whether personal data is redacted before text is sent; 'auto' redacts unless the endpoint is on this machine."""

StructuredOutput = Literal["auto", "json_schema", "tool_call", "json_object", "prompt"]
"""How a reply is constrained to a schema; 'auto' probes the endpoint once and remembers what works."""


class _LLMTableSource(InitSettingsSource):
    """The [llm] table of the user's config.toml (the top level belongs to advisor.settings.Settings)."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        table: Any = {}
        if path.is_file():
            with path.open("rb") as handle:
                table = tomllib.load(handle).get("llm", {})
        super().__init__(settings_cls, table if isinstance(table, dict) else {})


class LLMSettings(BaseSettings):
    """How to reach an OpenAI-compatible endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp, LiteLLM)."""

    model_config = SettingsConfigDict(env_prefix="ADVISOR_LLM_", extra="ignore", populate_by_name=True)

    base_url: str | None = Field(
        default=None,
        description="Endpoint root such as 'http://localhost:11434/v1'; None means the openai SDK default (OpenAI).",
    )
    model: str = Field(default="gpt-4o-mini", description="Model name sent with every request.")
    api_key: SecretStr | None = Field(
        default=None,
        # The advisor's own variable wins over the SDK's conventional one when both are set.
        validation_alias=AliasChoices("ADVISOR_LLM_API_KEY", "OPENAI_API_KEY"),
        description="API key (ADVISOR_LLM_API_KEY or OPENAI_API_KEY); a SecretStr so it never shows in repr or logs.",
    )
    keyring_service: str | None = Field(
        default=None,
        description="Read the API key from the system keyring (macOS Keychain, Windows Credential Locker, Secret "
        "Service; the 'keyring' package) under this service name and the user 'api_key', when no key is set "
        "in the environment.",
    )
    structured_output: StructuredOutput = Field(
        default="auto",
        description="'json_schema', 'tool_call', 'json_object' (llama.cpp style, schema attached), 'prompt' "
        "(schema in the prompt, validated after), or 'auto' to detect once per client.",
    )
    timeout_s: float = Field(default=30.0, gt=0, description="Seconds one request may take before it is retried.")
    max_retries: int = Field(
        default=4, ge=0, description="Retries after the first attempt on 429, 5xx, timeouts and connection errors."
    )
    max_backoff_s: float = Field(
        default=20.0, ge=0, description="Longest wait between two attempts, Retry-After included (seconds)."
    )
    max_reasks: int = Field(
        default=2, ge=0, le=5, description="Times a reply that fails JSON parsing or validation is re-asked."
    )
    usd_per_million_tokens: float | None = Field(
        default=None,
        ge=0,
        description="Blended price per million tokens, to estimate each report's LLM cost (unset: no estimate).",
    )
    temperature: float | None = Field(
        default=0.0,
        ge=0,
        le=2,
        description="Sampling temperature; 0 for repeatable reads, None to send none (some reasoning models "
        "accept only their default).",
    )
    redact: Redact = Field(
        default="auto",
        description="Redact emails, phone numbers, IBANs, card numbers and titled names before sending: 'on', "
        "'off', or 'auto' (on unless base_url is a loopback address: 127.0.0.0/8, ::1, localhost).",
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
        """Arguments win, then the environment, then the [llm] table of the config file."""
        return (init_settings, env_settings, _LLMTableSource(settings_cls, default_config_file()))


def is_loopback_url(base_url: str | None) -> bool:
    """True when the endpoint is on this machine (127.0.0.0/8, ::1, localhost); None (OpenAI) is remote."""
    if not base_url:
        return False
    try:
        host = urlsplit(base_url).hostname or ""
    except ValueError:
        return False
    if host.rstrip(".").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def redaction_enabled(settings: LLMSettings) -> bool:
    """The resolved redact setting: 'auto' redacts for every endpoint that is not on this machine."""
    if settings.redact == "auto":
        return not is_loopback_url(settings.base_url)
    return settings.redact == "on"
