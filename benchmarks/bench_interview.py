"""Interview turn latency: the advisor's own overhead per answer (graph, scoring, question choice, SQLite
checkpoint written synchronously), measured with an instant stand-in reasoner so no model time is counted,
and the same with the offline engine. Also counts the LLM requests one assessment and one interview make.

Usage: python benchmarks/bench_interview.py [--sessions 5]. Writes benchmarks/interview_results.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from advisor.api import Advisor
from advisor.checkpoint import sqlite_checkpointer
from advisor.domain.areas import AreaId
from advisor.domain.evidence import Evidence
from advisor.reasoning.base import Extraction, Judgement, Wording

ROOT = Path(__file__).resolve().parents[1]
ANSWER = "Nobody has been named for this yet and there is no plan for it."


class InstantReasoner:
    """Returns one gap for the question's area at once: isolates the advisor's own cost."""

    engine = "instant"
    model = "none"

    def extract(self, text: str, source: str, area_hint: AreaId | None = None, context: str = "") -> Extraction:
        if area_hint is None:
            return Extraction()
        item = Evidence(
            area=area_hint, quote=text, source=f"{source}#s0", polarity="risk", strength="high", confidence=0.9
        )
        return Extraction(evidence=[item], llm_calls=1, tokens=len(text) // 4 + 400)

    def phrase_question(self, question: str, why: str, known: str) -> Wording:
        return Wording(text=question)

    def judge_answer(self, question: str, answer: str, found_on_area: bool) -> Judgement:
        return Judgement(sufficient=True)

    def narrate(self, facts: str, draft: str) -> Wording:
        return Wording(text=draft)


def turns(advisor: Advisor, sessions: int) -> tuple[list[float], int]:
    latencies: list[float] = []
    questions = 0
    for n in range(sessions):
        brief = (ROOT / "examples" / "briefs" / "retail-churn.md").read_text()
        session = advisor.start_interview(brief, thread_id=f"b{n}")
        question = session.question
        while question is not None:
            started = time.perf_counter()
            question = session.answer(ANSWER)
            latencies.append(time.perf_counter() - started)
            questions += 1
    return latencies, questions // sessions


def concurrent(advisor: Advisor, sessions: int) -> dict[str, object]:
    """Many interviews at once through the async API, one SQLite checkpointer: per-turn latency and memory."""
    import asyncio
    import resource

    latencies: list[float] = []

    async def one(n: int) -> None:
        session = await advisor.astart_interview(thread_id=f"c{n}", max_questions=5)
        question = session.question
        while question is not None:
            started = time.perf_counter()
            question = await session.aanswer(ANSWER)
            latencies.append(time.perf_counter() - started)

    async def main() -> None:
        await asyncio.gather(*(one(n) for n in range(sessions)))

    started = time.perf_counter()
    asyncio.run(main())
    wall = time.perf_counter() - started
    return {
        "sessions": sessions,
        "turns": len(latencies),
        "turn_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "turn_p95_ms": round(sorted(latencies)[int(0.95 * (len(latencies) - 1))] * 1000, 1),
        "turns_per_second": round(len(latencies) / wall, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def llm_requests(base: Advisor) -> dict[str, object]:
    """Requests and prompt size the LLM engine sends, counted at a scripted local server."""
    import sys

    sys.path.insert(0, str(ROOT))
    from advisor.llm.settings import LLMSettings
    from advisor.reasoning.llm import build_llm_reasoner
    from tests.support.openai_stub import serve_openai_stub

    brief = (ROOT / "examples" / "briefs" / "retail-churn.md").read_text()
    with serve_openai_stub() as stub:
        for _ in range(40):
            stub.reply({"items": []})
        settings = LLMSettings(base_url=stub.base_url, model="stub", api_key="x", structured_output="json_schema")
        reasoner = build_llm_reasoner(settings, fallback=base.reasoner)
        found = reasoner.extract(brief, "brief:retail-churn")
        assessment_chars = sum(len(json.dumps(r["messages"])) for r in stub.requests)
        before = len(stub.requests)
        reasoner.extract(ANSWER, "answer:q", area_hint="governance", context="Who owns the model after launch?")
        answer_chars = sum(len(json.dumps(r["messages"])) for r in stub.requests[before:])
    return {
        "assessment_requests": found.llm_calls,
        "assessment_prompt_tokens_approx": assessment_chars // 4,
        "answer_requests": len(stub.requests) - before,
        "answer_prompt_tokens_approx": answer_chars // 4,
        "note": "tokens estimated as characters / 4 of the messages sent (433-word brief); replies add a few hundred",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=5)
    args = parser.parse_args()
    base = Advisor()
    results: dict[str, object] = {}
    for label, reasoner in (("instant_reasoner", InstantReasoner()), ("offline_engine", base.reasoner)):
        folder = Path(tempfile.mkdtemp())
        advisor = Advisor(
            base.settings, knowledge=base.knowledge, store=base.store, reasoner=reasoner,  # type: ignore[arg-type]
            checkpointer=sqlite_checkpointer(folder / "s.sqlite"),
        )  # fmt: skip
        latencies, per_interview = turns(advisor, args.sessions)
        results[label] = {
            "turn_p50_ms": round(statistics.median(latencies) * 1000, 1),
            "turn_p95_ms": round(sorted(latencies)[int(0.95 * (len(latencies) - 1))] * 1000, 1),
            "questions_per_interview": per_interview,
        }
    folder = Path(tempfile.mkdtemp())
    shared = Advisor(
        base.settings, knowledge=base.knowledge, store=base.store, reasoner=base.reasoner,
        checkpointer=sqlite_checkpointer(folder / "s.sqlite"),
    )  # fmt: skip
    results["concurrent_offline"] = concurrent(shared, 50)
    results["llm_requests"] = llm_requests(base)
    print(json.dumps(results, indent=2))
    (ROOT / "benchmarks" / "interview_results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
