"""Personal data in a brief never reaches a remote LLM endpoint, while the local report keeps the team's words."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from advisor.llm.settings import LLMSettings, is_loopback_url, redaction_enabled
from advisor.reasoning.llm import build_llm_reasoner
from tests.support.openai_stub import OpenAIStub, clear_proxy_env, serve_openai_stub
from tests.test_llm_reasoner import KEY, FakeOffline, item, make_reasoner, sent_user_message

SOURCE = "brief:claims.md"
EMAIL = "jane.doe@insurer.example"
PHONE = "+44 20 7946 0958"
IBAN = "DE89 3704 0044 0532 0130 00"
SUPPORT = "support@insurer.example"
BRIEF = f"""# Claims triage POC

## Team
Only one analyst maintains the scoring pipeline and can be reached at {EMAIL} or {PHONE}.
Refunds go to {IBAN} and questions to {SUPPORT}.
We plan to go live in 3 months.
"""
OWNER = f"Only one analyst maintains the scoring pipeline and can be reached at {EMAIL} or {PHONE}."
OWNER_SENT = "Only one analyst maintains the scoring pipeline and can be reached at [EMAIL] or [PHONE]."
REFUNDS = f"Refunds go to {IBAN} and questions to {SUPPORT}."


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clear_proxy_env(monkeypatch)
    # The user's own config file or environment must not decide what these tests send.
    monkeypatch.setenv("ADVISOR_CONFIG_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("ADVISOR_LLM_REDACT", raising=False)


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    with serve_openai_stub() as server:
        yield server


def everything_sent(stub: OpenAIStub) -> str:
    return json.dumps(stub.requests, ensure_ascii=False)


def assert_no_personal_data(sent: str) -> None:
    for secret in (EMAIL, PHONE, IBAN, SUPPORT, "7946", "3704 0044"):
        assert secret not in sent


def test_the_model_sees_placeholders_and_the_report_quotes_the_original_sentence(stub: OpenAIStub) -> None:
    # The model can only quote what it was sent: the redacted sentence, here as a fragment and as a whole.
    stub.reply(
        {
            "items": [
                item("skills", "Only one analyst maintains the scoring pipeline"),
                item("security", "Refunds go to [IBAN] and questions to [EMAIL].", "risk", "medium", 0.7),
            ]
        }
    )

    extraction = make_reasoner(stub.base_url, redact=True).extract(BRIEF, SOURCE)

    sent = everything_sent(stub)
    assert_no_personal_data(sent)
    assert OWNER_SENT in sent_user_message(stub.requests[0])
    found = [(e.area, e.source, e.quote) for e in extraction.evidence]
    assert found == [("skills", f"{SOURCE}#s0", OWNER), ("security", f"{SOURCE}#s1", REFUNDS)]
    assert "Redacted before sending to the LLM: 2 emails, 1 phone number, 1 IBAN" in extraction.notices
    assert [(f.kind, f.source) for f in extraction.facts] == [("timeline_months", f"{SOURCE}#s2")]


def test_a_quote_with_the_original_data_is_not_in_what_was_sent_and_is_rejected(stub: OpenAIStub) -> None:
    # A model cannot have seen the address, so a quote carrying it is invented and dropped like any other.
    stub.reply({"items": [item("security", f"questions to {SUPPORT}", "risk", "medium")]})

    extraction = make_reasoner(stub.base_url, redact=True).extract(BRIEF, SOURCE)

    assert extraction.evidence == []
    assert any("Rejected 1 evidence item(s)" in n for n in extraction.notices)


def test_a_quote_across_sentences_is_reported_in_the_teams_words(stub: OpenAIStub) -> None:
    stub.reply({"items": [item("skills", "or [PHONE]. Refunds go to [IBAN]", "risk", "medium")]})

    extraction = make_reasoner(stub.base_url, redact=True).extract(BRIEF, SOURCE)

    (evidence,) = extraction.evidence
    assert (evidence.source, evidence.quote) == (f"{SOURCE}#s0", f"{OWNER} {REFUNDS}")


def test_an_interview_answer_and_its_question_are_redacted(stub: OpenAIStub) -> None:
    stub.reply({"items": []})

    make_reasoner(stub.base_url, redact=True).extract(
        f"Dr. Amara Okafor owns it, call {PHONE}.", "answer:q1", "governance", "Who owns it? Ask Mr Brown."
    )

    user = sent_user_message(stub.requests[0])
    assert "Dr. [PERSON] owns it, call [PHONE]." in user and "Ask Mr [PERSON]." in user
    assert "Okafor" not in user and "Brown" not in user


def test_question_judgement_and_narrative_prompts_are_redacted(stub: OpenAIStub) -> None:
    stub.reply({"question": "Who answers the phone at [PHONE] after launch?"})
    stub.reply({"sufficient": True, "reason": "names an owner"})
    stub.reply({"summary": "Not ready. The owner is [EMAIL]."})
    reasoner = make_reasoner(stub.base_url, redact=True)

    wording = reasoner.phrase_question("Who supports it after launch?", "ownership", f"Support line {PHONE}.")
    judgement = reasoner.judge_answer("Who owns it?", f"Jane, {EMAIL}", found_on_area=False)
    narrative = reasoner.narrate(f"verdict: not_ready; contact {EMAIL}", "Not ready. Three blockers.")

    assert_no_personal_data(everything_sent(stub))
    # A reply that kept a placeholder cannot be shown, so the bank question and the draft are used instead.
    assert (wording.text, wording.fallback) == ("Who supports it after launch?", "phrase_question: unusable reply")
    assert judgement.sufficient
    assert narrative.text == "Not ready. Three blockers."
    assert narrative.fallback == "narrate: reply rejected (it kept a redaction placeholder)"


def test_redaction_off_sends_the_text_as_written_and_says_nothing(stub: OpenAIStub) -> None:
    stub.reply({"items": [item("skills", OWNER)]})

    extraction = make_reasoner(stub.base_url, redact=False).extract(BRIEF, SOURCE)

    user = sent_user_message(stub.requests[0])
    assert EMAIL in user and PHONE in user and IBAN in user
    assert [e.quote for e in extraction.evidence] == [OWNER]
    assert not any(n.startswith("Redacted") for n in extraction.notices)


def settings_for(base_url: str, **overrides: object) -> LLMSettings:
    values: dict[str, object] = {
        "base_url": base_url,
        "api_key": SecretStr(KEY),
        "model": "stub-model",
        "structured_output": "json_schema",
        "max_retries": 0,
        "timeout_s": 2,
    }
    values.update(overrides)
    return LLMSettings.model_validate(values)


def test_auto_sends_as_is_to_a_loopback_endpoint(stub: OpenAIStub) -> None:
    stub.reply({"items": []})

    reasoner = build_llm_reasoner(settings_for(stub.base_url), FakeOffline())
    extraction = reasoner.extract(BRIEF, SOURCE)

    assert stub.base_url.startswith("http://127.0.0.1:") and not reasoner.redacts
    assert EMAIL in sent_user_message(stub.requests[0])
    assert not any(n.startswith("Redacted") for n in extraction.notices)


def test_on_redacts_even_for_a_loopback_endpoint_set_from_the_environment(
    stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVISOR_LLM_REDACT", "on")
    stub.reply({"items": []})

    extraction = build_llm_reasoner(settings_for(stub.base_url), FakeOffline()).extract(BRIEF, SOURCE)

    assert_no_personal_data(everything_sent(stub))
    assert "Redacted before sending to the LLM: 2 emails, 1 phone number, 1 IBAN" in extraction.notices


@pytest.mark.parametrize(
    ("base_url", "redact", "expected"),
    [
        (None, "auto", True),  # the OpenAI default endpoint
        ("https://api.openai.com/v1", "auto", True),
        ("https://my-resource.openai.azure.com/openai/v1/", "auto", True),
        ("http://10.0.0.5:8000/v1", "auto", True),  # a serving cluster on the network is still remote
        ("http://localhost.evil.example/v1", "auto", True),
        ("http://localhost:11434/v1", "auto", False),
        ("http://127.0.0.1:8000/v1", "auto", False),
        ("http://127.8.9.10:8000/v1", "auto", False),
        ("http://[::1]:8000/v1", "auto", False),
        ("http://localhost:11434/v1", "on", True),
        ("https://api.openai.com/v1", "off", False),
    ],
)
def test_auto_redacts_for_every_endpoint_not_on_this_machine(base_url: str | None, redact: str, expected: bool) -> None:
    settings = LLMSettings.model_validate({"base_url": base_url, "redact": redact})

    assert redaction_enabled(settings) is expected
    if redact == "auto":
        assert is_loopback_url(base_url) is not expected
