"""Typed structured output from any OpenAI-compatible chat endpoint, with our own retry and re-ask policy.

Servers differ in how they constrain a reply to a schema: OpenAI and vLLM take a strict ``json_schema``
response format, most servers that speak tools take a forced function call, llama.cpp takes ``json_object``
with a schema attached, and anything else can be asked in the prompt and validated after. ``StructuredLLM``
speaks all four and, in ``auto`` mode, finds the first one the endpoint accepts and remembers it.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any, Literal, TypeVar

import httpx
import openai
from openai import OpenAI
from openai.types.chat import ChatCompletion, ChatCompletionMessageFunctionToolCall
from pydantic import BaseModel, Field, ValidationError
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from advisor.llm.settings import LLMSettings, StructuredOutput

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
Strategy = Literal["json_schema", "tool_call", "json_object", "prompt"]
AUTO_ORDER: tuple[Strategy, ...] = ("json_schema", "tool_call", "json_object", "prompt")
"""The order 'auto' tries: the strictest constraint first, plain prompting last."""

# Local servers (Ollama, llama.cpp, vLLM without --api-key) ignore the key, but the SDK insists on one.
_PLACEHOLDER_KEY = "not-needed"
_REASK = (
    "Your previous reply could not be used: {problem}. Reply again with only the corrected JSON object, "
    "matching the schema exactly."
)
_SCHEMA_IN_PROMPT = (
    "Reply with one JSON object and nothing else (no prose, no code fence). It must validate against this "
    "JSON schema:\n{schema}"
)
_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")


class Usage(BaseModel):
    """What a completion cost: requests sent (retries and re-asks included) and the tokens the server reported."""

    calls: int = Field(default=0, description="HTTP requests sent, failed ones included.")
    prompt_tokens: int = Field(default=0, description="Prompt tokens reported in response.usage.")
    completion_tokens: int = Field(default=0, description="Completion tokens reported in response.usage.")

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            calls=self.calls + other.calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class LLMUnavailable(Exception):
    """The endpoint gave no usable answer: down, rate-limited past the retries, refusing, or invalid replies.

    The message is one line, safe to show and to record in a report (the API key is redacted from it).
    ``usage`` tells what was spent before giving up.
    """

    def __init__(self, reason: str, usage: Usage | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.usage = usage or Usage()


class LLMConfigError(ValueError):
    """The LLM engine is configured in a way that cannot work, e.g. OpenAI's own endpoint with no API key."""


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to retry; a parameter so tests and batch runs can tune it."""

    max_retries: int = 4
    """Retries after the first attempt on 429, 408/409, 5xx, timeouts and connection errors."""
    initial_backoff_s: float = 0.5
    """First backoff; it doubles per retry, plus up to the same again of random jitter."""
    max_backoff_s: float = 20.0
    """Cap on any single wait, a server's Retry-After included."""
    max_reasks: int = 2
    """Re-asks after a reply that is not valid JSON or does not validate against the schema."""


class _Rejected(Exception):
    """The endpoint refused the shape of the request (400/422): the next strategy may work."""


KEYRING_USER = "api_key"
"""The user name the API key is stored under in the keyring: `keyring set SERVICE api_key`."""


def key_from_keyring(service: str) -> str:
    """The API key stored in the system keyring for service; LLMConfigError when it cannot be read.

    The error names the service, never a key: what goes wrong here must not leak what was stored.
    """
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError as exc:
        raise LLMConfigError(
            "ADVISOR_LLM_KEYRING_SERVICE is set but the keyring package is not installed: "
            "pip install 'poc-advisor[keyring]'"
        ) from exc
    try:
        key = keyring.get_password(service, KEYRING_USER)
    except KeyringError as exc:
        raise LLMConfigError(f"the keyring could not be read for service '{service}' ({type(exc).__name__})") from exc
    if not key:
        raise LLMConfigError(
            f"no API key in the keyring for service '{service}': store one with `keyring set {service} {KEYRING_USER}`"
        )
    return key


def make_openai_client(settings: LLMSettings) -> OpenAI:
    """The ``openai.OpenAI`` client for these settings, with the SDK's own retries off (StructuredLLM retries)."""
    key = settings.api_key.get_secret_value() if settings.api_key else None
    if not key and settings.keyring_service:
        key = key_from_keyring(settings.keyring_service)
    if not key:
        if settings.base_url is None:
            raise LLMConfigError(
                "no API key for the OpenAI endpoint: set ADVISOR_LLM_API_KEY or OPENAI_API_KEY, "
                "or point ADVISOR_LLM_BASE_URL at a local server"
            )
        key = _PLACEHOLDER_KEY
    return OpenAI(api_key=key, base_url=settings.base_url, timeout=settings.timeout_s, max_retries=0)


@lru_cache(maxsize=64)
def _strict_schema(schema: type[BaseModel]) -> dict[str, Any]:
    # The SDK's own helper makes the schema strict-mode compliant (every property required, no extras).
    return dict(openai.pydantic_function_tool(schema)["function"]["parameters"])


@lru_cache(maxsize=64)
def _plain_schema(schema: type[BaseModel]) -> str:
    return json.dumps(schema.model_json_schema(), ensure_ascii=False)


def _name(schema: type[BaseModel]) -> str:
    # Function and response-format names must match ^[a-zA-Z0-9_-]{1,64}$.
    return re.sub(r"[^A-Za-z0-9_-]", "_", schema.__name__)[:64] or "Output"


def _is_transient(error: BaseException) -> bool:
    """Worth retrying: the same request may well succeed a moment later."""
    if isinstance(error, openai.APIConnectionError):  # timeouts are a subclass
        return True
    if isinstance(error, openai.APIStatusError):
        return error.status_code in (408, 409, 429) or error.status_code >= 500
    return False


def _retry_after_s(error: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After-Ms, Retry-After as seconds or an HTTP date)."""
    if not isinstance(error, openai.APIStatusError):
        return None
    headers = error.response.headers
    try:
        if (millis := headers.get("retry-after-ms")) is not None:
            return max(0.0, float(millis) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def _first_json_object(text: str) -> Any:
    """The first JSON object in a reply, tolerating a code fence or prose around it."""
    stripped = _FENCE.sub("", text.strip())
    start = stripped.find("{")
    if start < 0:
        raise ValueError("the reply contains no JSON object")
    value, _end = json.JSONDecoder().raw_decode(stripped, start)
    return value


def _describe_invalid(error: ValueError) -> str:
    """A short, model-readable account of why a reply was rejected."""
    if isinstance(error, ValidationError):
        parts = [
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in error.errors(include_url=False)
        ]
        more = f" (and {len(parts) - 8} more)" if len(parts) > 8 else ""
        return f"{error.error_count()} validation error(s): " + "; ".join(parts[:8]) + more
    if isinstance(error, json.JSONDecodeError):
        return f"invalid JSON ({error.msg} at line {error.lineno} column {error.colno})"
    return str(error)


class StructuredLLM:
    """Asks an injected OpenAI-compatible client for a reply that validates against a pydantic model.

    Thread-safe: the detected strategy is the only state shared between calls.
    """

    def __init__(
        self,
        client: OpenAI,
        model: str,
        *,
        strategy: StructuredOutput = "auto",
        temperature: float | None = 0.0,
        timeout_s: float = 30.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        # Our policy retries; SDK retries underneath would multiply the attempts and ignore our bounds.
        self._client = client.with_options(max_retries=0, timeout=timeout_s)
        self._secret = client.api_key if len(client.api_key or "") >= 4 else ""
        self._model = model
        self._configured = strategy
        self._strategy: Strategy | None = None if strategy == "auto" else strategy
        self._lock = threading.Lock()
        self._temperature = temperature
        self._timeout_s = timeout_s
        self._retry = retry or RetryPolicy()
        self._sleep = sleep

    @classmethod
    def from_settings(
        cls, client: OpenAI, settings: LLMSettings, *, sleep: Callable[[float], None] = time.sleep
    ) -> StructuredLLM:
        """A StructuredLLM configured from LLMSettings around the given client."""
        return cls(
            client,
            settings.model,
            strategy=settings.structured_output,
            temperature=settings.temperature,
            timeout_s=settings.timeout_s,
            retry=RetryPolicy(
                max_retries=settings.max_retries,
                max_backoff_s=settings.max_backoff_s,
                max_reasks=settings.max_reasks,
            ),
            sleep=sleep,
        )

    @property
    def model(self) -> str:
        """The model name sent with every request."""
        return self._model

    @property
    def strategy(self) -> Strategy | None:
        """The strategy in use: the configured one, or the one 'auto' detected (None until the first success)."""
        with self._lock:
            return self._strategy

    def complete(self, system: str, user: str, schema: type[T]) -> tuple[T, Usage]:
        """A reply validated against ``schema`` and what it cost; raises LLMUnavailable when none can be had."""
        usage = Usage()
        with self._lock:
            known = self._strategy
        if self._configured != "auto":
            candidates: tuple[Strategy, ...] = (self._configured,)
        elif known is not None:
            # Start from what worked; a later, harder schema may still need a looser strategy.
            candidates = AUTO_ORDER[AUTO_ORDER.index(known) :]
        else:
            candidates = AUTO_ORDER
        rejection = ""
        for strategy in candidates:
            try:
                result = self._complete_with(strategy, system, user, schema, usage)
            except _Rejected as rejected:
                rejection = str(rejected)
                log.info("endpoint rejected the %s strategy (%s); trying the next one", strategy, rejection)
                continue
            if self._configured == "auto":
                with self._lock:
                    self._strategy = strategy
            return result, usage
        tried = ", ".join(candidates)
        raise LLMUnavailable(f"the endpoint rejected every request shape tried ({tried}): {rejection}", usage)

    def _complete_with(self, strategy: Strategy, system: str, user: str, schema: type[T], usage: Usage) -> T:
        if strategy in ("json_object", "prompt"):
            system = f"{system}\n\n{_SCHEMA_IN_PROMPT.format(schema=_plain_schema(schema))}".strip()
        messages: list[dict[str, Any]] = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        problem = ""
        for _ask in range(self._retry.max_reasks + 1):
            response = self._send({**self._shape(strategy, schema), "messages": messages}, usage)
            raw = self._raw_output(strategy, response, usage)
            try:
                return schema.model_validate(_first_json_object(raw))
            except ValueError as error:  # json.JSONDecodeError and pydantic.ValidationError are both ValueErrors
                problem = _describe_invalid(error)
                log.info("reply did not validate against %s: %s", schema.__name__, problem)
                # Instructor-style: show the model its own reply and what was wrong with it.
                messages = [
                    *messages,
                    {"role": "assistant", "content": raw},
                    {"role": "user", "content": _REASK.format(problem=problem)},
                ]
        tries = self._retry.max_reasks + 1
        raise LLMUnavailable(
            self._clean(f"the model's reply did not match {schema.__name__} after {tries} tries: {problem}"), usage
        )

    def _shape(self, strategy: Strategy, schema: type[BaseModel]) -> dict[str, Any]:
        """Request fields common to every attempt, plus those that constrain the reply under ``strategy``."""
        request: dict[str, Any] = {"model": self._model}
        if self._temperature is not None:
            request["temperature"] = self._temperature
        name = _name(schema)
        if strategy == "json_schema":
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": _strict_schema(schema), "strict": True},
            }
        elif strategy == "tool_call":
            request["tools"] = [openai.pydantic_function_tool(schema, name=name)]
            request["tool_choice"] = {"type": "function", "function": {"name": name}}
        elif strategy == "json_object":
            # llama.cpp's server turns this schema into a grammar; others ignore it and rely on the prompt.
            request["response_format"] = {"type": "json_object", "schema": schema.model_json_schema()}
        return request

    def _raw_output(self, strategy: Strategy, response: ChatCompletion, usage: Usage) -> str:
        if not response.choices:
            return ""
        message = response.choices[0].message
        if message.refusal:
            raise LLMUnavailable(self._clean(f"the model refused: {message.refusal}"), usage)
        if strategy == "tool_call":
            for call in message.tool_calls or []:
                if isinstance(call, ChatCompletionMessageFunctionToolCall):
                    return call.function.arguments
        # Some servers accept tool_choice but answer in content anyway; validation decides.
        return message.content or ""

    def _send(self, request: dict[str, Any], usage: Usage) -> ChatCompletion:
        """One chat completion, retried on transient failures; raises _Rejected or LLMUnavailable."""

        def attempt() -> ChatCompletion:
            usage.calls += 1
            response: ChatCompletion = self._client.chat.completions.create(**request)
            return response

        response = self._with_retries(attempt, usage)
        if response.usage is not None:
            usage.prompt_tokens += response.usage.prompt_tokens or 0
            usage.completion_tokens += response.usage.completion_tokens or 0
        return response

    def stream_text(self, system: str, user: str, emit: Callable[[str], None]) -> tuple[str, Usage]:
        """A plain-text reply streamed (``stream=True``): each chunk goes to emit as it arrives.

        Returns the whole text and what it cost. Opening the stream is retried like any request; a stream
        that breaks off midway is not (the chunks already shown cannot be taken back), it raises
        LLMUnavailable so the caller can put its own text in their place.
        """
        usage = Usage()
        request: dict[str, Any] = {
            "model": self._model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if self._temperature is not None:
            request["temperature"] = self._temperature

        def attempt() -> openai.Stream[Any]:
            usage.calls += 1
            stream: openai.Stream[Any] = self._client.chat.completions.create(**request)
            return stream

        try:
            stream = self._with_retries(attempt, usage)
        except _Rejected:
            # Some servers refuse stream_options (usage in the last chunk); the text matters more than the count.
            del request["stream_options"]
            try:
                stream = self._with_retries(attempt, usage)
            except _Rejected as rejected:
                raise LLMUnavailable(
                    self._clean(f"the endpoint refused a streamed request: {rejected}"), usage
                ) from None
        parts: list[str] = []
        try:
            with stream:
                for chunk in stream:
                    if chunk.usage is not None:
                        usage.prompt_tokens += chunk.usage.prompt_tokens or 0
                        usage.completion_tokens += chunk.usage.completion_tokens or 0
                    for choice in chunk.choices:
                        if choice.delta is not None and choice.delta.content:
                            parts.append(choice.delta.content)
                            emit(choice.delta.content)
        except (openai.APIError, httpx.HTTPError) as error:
            raise LLMUnavailable(self._clean(f"the stream broke off: {self._describe(error)}"), usage) from None
        return "".join(parts), usage

    def _with_retries(self, attempt: Callable[[], R], usage: Usage) -> R:
        """attempt() retried on transient failures; raises _Rejected (400/422) or LLMUnavailable."""
        retrying = Retrying(
            stop=stop_after_attempt(self._retry.max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception(_is_transient),
            sleep=self._sleep,
            before_sleep=self._log_retry,
            reraise=True,
        )
        before = usage.calls
        # Errors are re-raised "from None": the SDK's exception carries the request (Authorization header
        # included) and the server's raw body, and our one-line, redacted reason already says what happened.
        try:
            response = retrying(attempt)
        except openai.APIStatusError as error:
            if error.status_code in (400, 422):
                raise _Rejected(self._describe(error)) from None
            if _is_transient(error):
                raise self._unavailable(error, usage.calls - before, usage) from None
            raise LLMUnavailable(
                self._clean(f"the endpoint refused the request: {self._describe(error)}"), usage
            ) from None
        except openai.APIConnectionError as error:
            raise self._unavailable(error, usage.calls - before, usage) from None
        return response

    def _wait(self, state: RetryCallState) -> float:
        """Retry-After when the server gives one, else exponential backoff with jitter; capped either way."""
        policy = self._retry
        error = state.outcome.exception() if state.outcome is not None else None
        hinted = _retry_after_s(error)
        if hinted is not None:
            return min(hinted, policy.max_backoff_s)
        backoff = policy.initial_backoff_s * 2 ** (state.attempt_number - 1)
        return min(backoff + random.uniform(0, policy.initial_backoff_s), policy.max_backoff_s)

    def _log_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        if error is not None:
            log.warning(
                "LLM request failed (%s); retry %d in %.2f s", self._describe(error), state.attempt_number, wait
            )

    def _unavailable(self, error: BaseException, attempts: int, usage: Usage) -> LLMUnavailable:
        return LLMUnavailable(
            self._clean(f"LLM endpoint unavailable after {attempts} attempt(s): {self._describe(error)}"), usage
        )

    def _describe(self, error: BaseException) -> str:
        """One redacted line saying what went wrong with a request."""
        if isinstance(error, openai.APITimeoutError):
            text = f"request timed out after {self._timeout_s:g} s"
        elif isinstance(error, openai.APIConnectionError):
            cause = error.__cause__ or error.__context__
            text = f"could not connect ({cause})" if cause else "could not connect"
        elif isinstance(error, openai.APIStatusError):
            body = error.body
            detail: object = None
            if isinstance(body, dict):
                inner = body.get("error")
                detail = body.get("message") or (inner.get("message") if isinstance(inner, dict) else inner)
            elif body:
                detail = body
            text = f"HTTP {error.status_code}" + (f": {detail}" if detail else "")
        else:
            text = f"{type(error).__name__}: {error}"
        return self._clean(text)

    def _clean(self, text: str) -> str:
        """One line, bounded, never carrying the key (a server may echo a header back in an error body)."""
        if self._secret:
            text = text.replace(self._secret, "[redacted]")
        text = " ".join(text.split())
        return text if len(text) <= 300 else text[:297] + "..."
