"""The LLM narrative streamed token by token over real HTTP (SSE from the scripted server), and its guard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openai import OpenAI

from advisor.api import Advisor
from advisor.checkpoint import sqlite_checkpointer
from advisor.domain.report import Report
from advisor.llm.client import LLMUnavailable, RetryPolicy, StructuredLLM
from advisor.reasoning.llm import LLMReasoner
from tests.support.openai_stub import OpenAIStub, clear_proxy_env, serve_openai_stub

BRIEF = "We built a churn model in a notebook. Nobody owns the model after launch and there is no monitoring."
GOOD = ["Not ready ", "for production. ", "Nobody owns the model ", "and nothing watches it; ", "fix that first."]


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIStub]:
    clear_proxy_env(monkeypatch)
    with serve_openai_stub() as served:
        yield served


def structured(stub: OpenAIStub) -> StructuredLLM:
    client = OpenAI(base_url=stub.base_url, api_key="sk-test-stream")
    return StructuredLLM(client, "stub-model", strategy="json_schema", timeout_s=5,
                         retry=RetryPolicy(max_retries=0, initial_backoff_s=0.01))  # fmt: skip


def llm_advisor(advisor: Advisor, stub: OpenAIStub, tmp_path: Path) -> Advisor:
    """The test advisor's parts with an LLM reasoner on the stub: unscripted steps get a 500 and fall back."""
    reasoner = LLMReasoner(structured(stub), advisor.reasoner, "stub-model")
    return Advisor(
        advisor.settings, knowledge=advisor.knowledge, store=advisor.store, reasoner=reasoner,
        checkpointer=sqlite_checkpointer(tmp_path / "sessions.sqlite"), audit_as=None,
    )  # fmt: skip


def test_stream_text_hands_over_each_chunk_in_order_and_counts_the_tokens(stub: OpenAIStub) -> None:
    stub.stream(["Hello", ", ", "world."], usage=(20, 3))
    seen: list[str] = []
    text, usage = structured(stub).stream_text("system", "user", seen.append)
    assert seen == ["Hello", ", ", "world."] and text == "Hello, world."
    assert usage.calls == 1 and usage.prompt_tokens == 20 and usage.completion_tokens == 3
    sent = stub.requests[0]
    assert sent["stream"] is True and sent["stream_options"] == {"include_usage": True}


def test_a_stream_that_breaks_off_is_reported_not_half_kept(stub: OpenAIStub) -> None:
    stub.stream(["Not ready ", "for production. ", "never sent"], break_after=2)
    seen: list[str] = []
    with pytest.raises(LLMUnavailable, match="broke off"):
        structured(stub).stream_text("system", "user", seen.append)
    assert seen == ["Not ready ", "for production. "]


def test_a_server_refusing_stream_options_is_asked_again_without(stub: OpenAIStub) -> None:
    stub.fail(400, "stream_options not supported", stream=True).stream(["fine."])
    text, usage = structured(stub).stream_text("s", "u", lambda _chunk: None)
    assert text == "fine." and usage.calls == 2
    assert "stream_options" in stub.requests[0] and "stream_options" not in stub.requests[1]


def test_the_guard_replaces_a_streamed_narrative_that_invents_a_figure(advisor: Advisor, stub: OpenAIStub) -> None:
    stub.stream(["Not ready for production. ", "It will cost $9M ", "and take 40 years."])
    reasoner = LLMReasoner(structured(stub), advisor.reasoner, "stub-model")
    seen: list[str] = []
    wording = reasoner.narrate_stream("Blockers: Operations.", "Not ready for production. Blockers: Operations.",
                                      seen.append)  # fmt: skip
    assert "".join(seen).endswith("40 years."), "the chunks were shown as they came"
    assert wording.text == "Not ready for production. Blockers: Operations."
    assert wording.fallback is not None and "invented figures" in wording.fallback


def test_finish_streaming_yields_the_draft_then_the_chunks_then_the_guarded_report(
    advisor: Advisor, stub: OpenAIStub, tmp_path: Path
) -> None:
    stub.stream(GOOD, chunk_delay_s=0.01)
    session = llm_advisor(advisor, stub, tmp_path).start_interview(BRIEF, max_questions=3)
    updates = list(session.finish_streaming())
    draft, *chunks, final = updates
    assert isinstance(draft, Report) and isinstance(final, Report)
    assert chunks == GOOD
    assert final.summary == "".join(GOOD).strip()
    assert draft.summary.startswith("Not ready for production.") and draft.summary != final.summary
    assert final.verdict == draft.verdict and final.plan == draft.plan, "only the narrative differs"
    assert session.finished and session.report is not None and session.report.summary == final.summary
    assert [e.kind for e in session.events][-1] == "plan_ready"
    assert any(r.get("stream") for r in stub.requests), "the narrative was a streamed request"


def test_finish_streaming_with_a_rejected_narrative_ends_on_the_offline_one(
    advisor: Advisor, stub: OpenAIStub, tmp_path: Path
) -> None:
    stub.stream(["Ready for production. ", "All good."])
    session = llm_advisor(advisor, stub, tmp_path).start_interview(BRIEF, max_questions=3)
    draft, *chunks, final = list(session.finish_streaming())
    assert isinstance(draft, Report) and isinstance(final, Report)
    assert chunks == ["Ready for production. ", "All good."]
    assert final.summary == draft.summary and final.verdict == "not_ready"
    assert any("narrate: reply rejected" in f for f in final.provenance.fallbacks)


def test_offline_finish_streaming_has_no_chunks(advisor: Advisor, tmp_path: Path) -> None:
    offline = Advisor(advisor.settings, knowledge=advisor.knowledge, store=advisor.store, reasoner=advisor.reasoner,
                      checkpointer=sqlite_checkpointer(tmp_path / "s.sqlite"), audit_as=None)  # fmt: skip
    session = offline.start_interview(BRIEF, max_questions=3)
    updates = list(session.finish_streaming())
    assert len(updates) == 2 and all(isinstance(u, Report) for u in updates)
    assert list(session.finish_streaming()) == [session.report], "a finished session yields its report alone"
