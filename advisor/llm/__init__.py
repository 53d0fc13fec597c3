"""The LLM engine's plumbing: settings, a retrying structured-output client, prompt templates.

Nothing here decides anything about a project; it only gets typed, validated replies from an endpoint.
"""

from advisor.llm.client import (
    AUTO_ORDER,
    LLMConfigError,
    LLMUnavailable,
    RetryPolicy,
    Strategy,
    StructuredLLM,
    Usage,
    make_openai_client,
)
from advisor.llm.prompts import Prompt, render_prompt
from advisor.llm.settings import LLMSettings, StructuredOutput

__all__ = [
    "AUTO_ORDER",
    "LLMConfigError",
    "LLMSettings",
    "LLMUnavailable",
    "Prompt",
    "RetryPolicy",
    "Strategy",
    "StructuredLLM",
    "StructuredOutput",
    "Usage",
    "make_openai_client",
    "render_prompt",
]
