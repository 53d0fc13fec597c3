"""The LLM's other reasoning steps: phrasing questions, judging answers, writing the summary; code guards each."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.openai_stub import OpenAIStub, clear_proxy_env, closed_port_url, serve_openai_stub
from tests.test_llm_reasoner import FakeOffline, make_reasoner

DRAFT = "Not ready for production. Blockers: Security & privacy. The plan has 4 actions: $120k at P50."
FACTS = "Production blockers in: Security & privacy.\n" + DRAFT


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_proxy_env(monkeypatch)


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    with serve_openai_stub() as server:
        yield server


def test_a_phrased_question_is_used_and_a_non_question_is_not(stub: OpenAIStub) -> None:
    stub.reply({"question": "Who at the claims team will own the model once it is live?"})
    stub.reply({"question": "Ownership matters a lot for this project."})
    reasoner = make_reasoner(stub.base_url)
    good = reasoner.phrase_question("Who owns the model after launch?", "Owners fund upkeep.", "- Data: high")
    assert good.text == "Who at the claims team will own the model once it is live?" and good.fallback is None
    assert good.llm_calls == 1 and good.tokens > 0
    bad = reasoner.phrase_question("Who owns the model after launch?", "Owners fund upkeep.", "")
    assert bad.text == "Who owns the model after launch?" and bad.fallback and "unusable" in bad.fallback
    assert "- Data: high" in stub.requests[0]["messages"][-1]["content"]


def test_answer_sufficiency_is_asked_only_when_no_evidence_was_found(stub: OpenAIStub) -> None:
    stub.reply({"sufficient": False, "reason": "restates the question"})
    reasoner = make_reasoner(stub.base_url)
    assert reasoner.judge_answer("Who owns it?", "Ownership, yes.", found_on_area=True).sufficient
    assert len(stub.requests) == 0
    judged = reasoner.judge_answer("Who owns it?", "Ownership, yes.", found_on_area=False)
    assert not judged.sufficient and judged.reason == "restates the question" and judged.llm_calls == 1


def test_the_summary_may_not_invent_figures_or_change_the_verdict(stub: OpenAIStub) -> None:
    stub.reply({"summary": DRAFT + " Fixing security first unblocks everything else."})
    stub.reply({"summary": DRAFT + " It will cost $900k and take 7 months."})
    stub.reply({"summary": "Ready for production. Nothing to do."})
    reasoner = make_reasoner(stub.base_url)
    kept = reasoner.narrate(FACTS, DRAFT)
    assert kept.text.endswith("unblocks everything else.") and kept.fallback is None
    invented = reasoner.narrate(FACTS, DRAFT)
    assert invented.text == DRAFT and invented.fallback and "900" in invented.fallback
    flipped = reasoner.narrate(FACTS, DRAFT)
    assert flipped.text == DRAFT and flipped.fallback and "verdict" in flipped.fallback


def test_every_step_falls_back_to_offline_when_the_endpoint_is_down() -> None:
    reasoner = make_reasoner(closed_port_url(), FakeOffline(), max_retries=1)
    phrased = reasoner.phrase_question("Who owns it?", "why", "")
    judged = reasoner.judge_answer("Who owns it?", "not sure", False)
    told = reasoner.narrate(FACTS, DRAFT)
    assert phrased.text == "Who owns it?" and phrased.fallback and phrased.fallback.startswith("phrase_question:")
    assert not judged.sufficient and judged.fallback and judged.fallback.startswith("judge_answer:")
    assert told.text == DRAFT and told.fallback and told.fallback.startswith("narrate:")
