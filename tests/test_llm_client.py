"""StructuredLLM against a scripted local OpenAI-compatible server, through the real openai client over HTTP."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from openai import OpenAI
from pydantic import BaseModel, Field, SecretStr

from advisor.llm import (
    LLMConfigError,
    LLMSettings,
    LLMUnavailable,
    RetryPolicy,
    StructuredLLM,
    StructuredOutput,
    make_openai_client,
)
from advisor.llm.prompts import load_template, render
from tests.support.openai_stub import OpenAIStub, clear_proxy_env, closed_port_url, serve_openai_stub

KEY = "sk-test-SECRET-7f3a9c"


class Answer(BaseModel):
    """A small schema for the client tests."""

    text: str = Field(description="Any words.")
    count: int = Field(ge=0, description="A non-negative number.")


VALID = {"text": "ok", "count": 2}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_proxy_env(monkeypatch)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", *(f"ADVISOR_LLM_{f.upper()}" for f in LLMSettings.model_fields)):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    with serve_openai_stub() as server:
        yield server


def make_llm(
    base_url: str,
    *,
    strategy: StructuredOutput = "json_schema",
    timeout_s: float = 0.5,
    max_retries: int = 3,
    max_backoff_s: float = 0.05,
    max_reasks: int = 2,
    sleep: list[float] | None = None,
) -> StructuredLLM:
    """A StructuredLLM on the real openai client with tiny backoffs; ``sleep`` records waits instead of sleeping."""
    client = OpenAI(base_url=base_url, api_key=KEY)
    policy = RetryPolicy(
        max_retries=max_retries, initial_backoff_s=0.01, max_backoff_s=max_backoff_s, max_reasks=max_reasks
    )
    return StructuredLLM(
        client,
        "stub-model",
        strategy=strategy,
        timeout_s=timeout_s,
        retry=policy,
        sleep=sleep.append if sleep is not None else time.sleep,
    )


def last_user_message(request: dict[str, object]) -> str:
    messages = request["messages"]
    assert isinstance(messages, list)
    return str(messages[-1]["content"])


# Retries ---------------------------------------------------------------------------------------------------


def test_rate_limited_twice_then_a_valid_reply_succeeds_with_three_calls(stub: OpenAIStub) -> None:
    stub.fail(429, headers={"Retry-After": "0"}).fail(429, headers={"Retry-After": "0"}).reply(VALID, usage=(30, 9))
    waits: list[float] = []

    answer, usage = make_llm(stub.base_url, sleep=waits).complete("system", "user", Answer)

    assert answer == Answer(text="ok", count=2)
    assert usage.calls == 3 and len(stub.requests) == 3
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (30, 9, 39)
    assert waits == [0.0, 0.0]  # Retry-After: 0 beats the exponential backoff
    assert stub.headers[0]["authorization"] == f"Bearer {KEY}"


def test_retry_after_seconds_are_honoured_and_capped_by_max_backoff(stub: OpenAIStub) -> None:
    stub.fail(429, headers={"Retry-After": "1"}).fail(503, headers={"Retry-After": "100"}).reply(VALID)
    waits: list[float] = []

    make_llm(stub.base_url, sleep=waits, max_backoff_s=5.0).complete("s", "u", Answer)

    assert waits == [1.0, 5.0]


def test_server_error_then_success_backs_off_with_jitter(stub: OpenAIStub) -> None:
    stub.fail(500).reply(VALID)
    waits: list[float] = []

    answer, usage = make_llm(stub.base_url, sleep=waits).complete("s", "u", Answer)

    assert answer.count == 2 and usage.calls == 2
    assert len(waits) == 1 and 0.01 <= waits[0] <= 0.02  # initial backoff plus up to as much jitter


def test_always_500_gives_llm_unavailable_after_bounded_retries(stub: OpenAIStub) -> None:
    # An empty script answers 500 to everything.
    with pytest.raises(LLMUnavailable) as caught:
        make_llm(stub.base_url, max_retries=2).complete("s", "u", Answer)

    assert len(stub.requests) == 3 and caught.value.usage.calls == 3
    reason = str(caught.value)
    assert "\n" not in reason
    assert reason.startswith("LLM endpoint unavailable after 3 attempt(s): HTTP 500")


def test_server_down_gives_llm_unavailable() -> None:
    started = time.monotonic()
    with pytest.raises(LLMUnavailable, match=r"after 3 attempt\(s\): could not connect"):
        make_llm(closed_port_url(), max_retries=2).complete("s", "u", Answer)
    assert time.monotonic() - started < 2


def test_a_timeout_is_retried(stub: OpenAIStub) -> None:
    stub.reply(VALID, delay_s=0.4).reply(VALID)

    answer, usage = make_llm(stub.base_url, timeout_s=0.15).complete("s", "u", Answer)

    assert answer.count == 2 and usage.calls == 2 and len(stub.requests) == 2


def test_timeouts_past_the_retries_give_llm_unavailable(stub: OpenAIStub) -> None:
    stub.reply(VALID, delay_s=0.3).reply(VALID, delay_s=0.3)

    with pytest.raises(LLMUnavailable, match=r"after 2 attempt\(s\): request timed out after 0.1 s"):
        make_llm(stub.base_url, timeout_s=0.1, max_retries=1).complete("s", "u", Answer)


def test_a_client_error_other_than_400_is_not_retried(stub: OpenAIStub) -> None:
    stub.fail(404, "model 'stub-model' not found").reply(VALID)

    with pytest.raises(LLMUnavailable, match="the endpoint refused the request: HTTP 404: model 'stub-model'"):
        make_llm(stub.base_url).complete("s", "u", Answer)
    assert len(stub.requests) == 1


def test_the_sdk_client_own_retries_are_switched_off(stub: OpenAIStub) -> None:
    # The injected client keeps the SDK default (2 retries); only our policy may retry.
    stub.fail(500).fail(500).fail(500)
    with pytest.raises(LLMUnavailable):
        make_llm(stub.base_url, max_retries=0).complete("s", "u", Answer)
    assert len(stub.requests) == 1


# Re-asks ---------------------------------------------------------------------------------------------------


def test_malformed_json_is_reasked_with_the_error_and_succeeds(stub: OpenAIStub) -> None:
    stub.malformed('{"text": "ok", "count": ').reply(VALID)

    answer, usage = make_llm(stub.base_url).complete("s", "u", Answer)

    assert answer.count == 2 and usage.calls == 2
    reask = stub.requests[1]["messages"]
    assert reask[-2] == {"role": "assistant", "content": '{"text": "ok", "count": '}
    assert "invalid JSON" in reask[-1]["content"]
    assert reask[:2] == stub.requests[0]["messages"]  # the conversation is extended, not replaced


def test_a_validation_error_is_reasked_naming_the_field(stub: OpenAIStub) -> None:
    stub.reply({"text": "ok", "count": -1}).reply(VALID)

    answer, _usage = make_llm(stub.base_url).complete("s", "u", Answer)

    assert answer.count == 2
    assert "count: Input should be greater than or equal to 0" in last_user_message(stub.requests[1])


def test_reasks_are_bounded(stub: OpenAIStub) -> None:
    stub.malformed("nope").malformed("still nope").malformed("never reached")

    with pytest.raises(LLMUnavailable, match="did not match Answer after 2 tries: the reply contains no JSON"):
        make_llm(stub.base_url, max_reasks=1).complete("s", "u", Answer)
    assert len(stub.requests) == 2


# Strategies ------------------------------------------------------------------------------------------------


def test_json_schema_strategy_sends_a_strict_schema(stub: OpenAIStub) -> None:
    stub.reply(VALID)

    make_llm(stub.base_url, strategy="json_schema").complete("s", "u", Answer)

    response_format = stub.requests[0]["response_format"]
    assert response_format["type"] == "json_schema"
    spec = response_format["json_schema"]
    assert spec["name"] == "Answer" and spec["strict"] is True
    assert spec["schema"]["additionalProperties"] is False
    assert spec["schema"]["required"] == ["text", "count"]
    assert stub.requests[0]["temperature"] == 0.0 and "tools" not in stub.requests[0]


def test_auto_falls_back_to_tool_call_and_remembers_it(stub: OpenAIStub) -> None:
    stub.reject_json_schema().reply_tool_call(VALID).reply_tool_call({"text": "again", "count": 3})
    llm = make_llm(stub.base_url, strategy="auto")

    first, first_usage = llm.complete("s", "u", Answer)
    second, second_usage = llm.complete("s", "u", Answer)

    assert (first.count, second.count) == (2, 3)
    assert llm.strategy == "tool_call"
    assert first_usage.calls == 2 and second_usage.calls == 1
    tried, worked, direct = stub.requests
    assert tried["response_format"]["type"] == "json_schema"
    for request in (worked, direct):
        assert "response_format" not in request
        assert request["tool_choice"] == {"type": "function", "function": {"name": "Answer"}}
        assert [t["function"]["name"] for t in request["tools"]] == ["Answer"]
        assert request["tools"][0]["function"]["parameters"]["required"] == ["text", "count"]


def test_auto_goes_down_to_json_object_then_prompt(stub: OpenAIStub) -> None:
    stub.reject_json_schema().fail(422, "tools not supported").fail(400, "unknown field schema")
    stub.reply(f"Here you go:\n```json\n{Answer.model_validate(VALID).model_dump_json()}\n```\nAnything else?")
    llm = make_llm(stub.base_url, strategy="auto")

    answer, usage = llm.complete("rules", "data", Answer)

    assert answer.count == 2 and usage.calls == 4 and llm.strategy == "prompt"
    json_object, prompt = stub.requests[2], stub.requests[3]
    assert json_object["response_format"]["type"] == "json_object"
    assert json_object["response_format"]["schema"]["required"] == ["text", "count"]
    assert "response_format" not in prompt and "tools" not in prompt
    system = prompt["messages"][0]["content"]
    assert system.startswith("rules") and '"count"' in system and "JSON schema" in system


def test_auto_gives_up_when_every_shape_is_rejected(stub: OpenAIStub) -> None:
    for _ in range(4):
        stub.fail(400, "context length exceeded")

    with pytest.raises(LLMUnavailable, match="rejected every request shape tried"):
        make_llm(stub.base_url, strategy="auto").complete("s", "u", Answer)
    assert len(stub.requests) == 4


def test_a_fixed_strategy_does_not_probe_others(stub: OpenAIStub) -> None:
    stub.reject_json_schema().reply(VALID)

    with pytest.raises(LLMUnavailable, match="response_format json_schema not supported"):
        make_llm(stub.base_url, strategy="json_schema").complete("s", "u", Answer)
    assert len(stub.requests) == 1


# The key never leaks ----------------------------------------------------------------------------------------


def test_the_api_key_never_appears_in_errors_or_logs(stub: OpenAIStub, caplog: pytest.LogCaptureFixture) -> None:
    # A careless server echoes the key back in its error body; retries log, the final error is raised.
    stub.fail(500, f"upstream rejected key {KEY}").fail(401, f"Incorrect API key provided: {KEY}")
    caplog.set_level(logging.DEBUG)

    with pytest.raises(LLMUnavailable) as caught:
        make_llm(stub.base_url).complete("s", "u", Answer)

    rendered = "".join(traceback.format_exception(caught.value))
    for text in (str(caught.value), repr(caught.value), rendered, caplog.text):
        assert KEY not in text
    assert "[redacted]" in str(caught.value)
    assert "retry 1" in caplog.text  # the retry was logged, redacted


def test_settings_read_the_environment_and_hide_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("ADVISOR_LLM_BASE_URL", "http://127.0.0.1:8000/v1")
    monkeypatch.setenv("ADVISOR_LLM_MODEL", "qwen2.5-7b-instruct")
    monkeypatch.setenv("ADVISOR_LLM_STRUCTURED_OUTPUT", "tool_call")
    monkeypatch.setenv("ADVISOR_LLM_TIMEOUT_S", "12.5")

    settings = LLMSettings()

    assert settings.api_key is not None and settings.api_key.get_secret_value() == KEY
    assert (settings.base_url, settings.model, settings.structured_output) == (
        "http://127.0.0.1:8000/v1",
        "qwen2.5-7b-instruct",
        "tool_call",
    )
    assert settings.timeout_s == 12.5 and settings.max_retries == 4 and settings.temperature == 0.0
    for text in (repr(settings), str(settings), settings.model_dump_json(), str(settings.model_dump())):
        assert KEY not in text


def test_the_advisor_key_variable_wins_over_openai_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-generic")
    monkeypatch.setenv("ADVISOR_LLM_API_KEY", KEY)

    settings = LLMSettings()

    assert settings.api_key is not None and settings.api_key.get_secret_value() == KEY


def test_settings_read_the_llm_table_of_the_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('max_brief_bytes = 1000\n\n[llm]\nmodel = "llama3.1:8b"\nstructured_output = "json_object"\n')
    monkeypatch.setenv("ADVISOR_CONFIG_FILE", str(config))
    monkeypatch.setenv("ADVISOR_LLM_MODEL", "from-env")

    settings = LLMSettings()

    assert settings.model == "from-env"  # the environment wins over the file
    assert settings.structured_output == "json_object"


def test_make_openai_client_disables_sdk_retries_and_needs_a_key_for_openai() -> None:
    client = make_openai_client(LLMSettings(api_key=SecretStr(KEY), base_url="http://127.0.0.1:9/v1", timeout_s=3))
    assert client.max_retries == 0 and client.timeout == 3 and str(client.base_url) == "http://127.0.0.1:9/v1/"

    local = make_openai_client(LLMSettings(base_url="http://127.0.0.1:11434/v1"))
    assert local.api_key == "not-needed"  # local servers ignore it; the SDK insists on one

    with pytest.raises(LLMConfigError, match="no API key"):
        make_openai_client(LLMSettings())


def test_from_settings_applies_the_strategy_and_retry_bounds(stub: OpenAIStub) -> None:
    settings = LLMSettings(base_url=stub.base_url, api_key=SecretStr(KEY), structured_output="prompt", max_retries=1)
    llm = StructuredLLM.from_settings(make_openai_client(settings), settings, sleep=lambda _s: None)

    with pytest.raises(LLMUnavailable, match=r"after 2 attempt\(s\)"):
        llm.complete("s", "u", Answer)
    assert llm.strategy == "prompt" and "response_format" not in stub.requests[0]


# Prompt templates ------------------------------------------------------------------------------------------


def test_prompt_templates_keep_braces_in_values_and_split_system_from_user() -> None:
    prompt = render("<!-- system -->\nRules for {who}.\n<!-- user -->\nData: {data}", {"who": "you", "data": "{x}"})
    assert (prompt.system, prompt.user) == ("Rules for you.", "Data: {x}")

    with pytest.raises(KeyError, match="data"):
        render("{data}", {})

    template = load_template("extract_evidence")
    assert "{areas}" in template and "{brief}" in template
