"""The chat's two bars: launch to the first question on screen (< 1.5 s) and key to screen for an answer
(< 200 ms) on the offline engine.

Launch: a new Python process does what `advisor chat --brief FILE` does (the model and brief read ahead, settings,
brief, Advisor, the session opened on its own thread, the Textual app, headless at 80x24) and reports the
wall-clock moment the first question has been painted; the figure is that moment minus the moment the
parent started the process, so interpreter start-up and every import count. Key to screen: in one
process, enter is pressed on an answer and the clock stops when the next question is on screen (the turn
runs in a Textual worker, so this is what the user waits for).

Usage: python benchmarks/bench_chat.py [--runs 5] [--answers 10]. Writes benchmarks/chat_results.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT / "examples" / "briefs" / "retail-churn.md"
ANSWER = "Nobody has been named for this yet and there is no plan for it."


def child_launch(brief: Path) -> None:
    """In the child: the `advisor chat --brief` path; print when each stage ended and the question was painted."""
    marks = {"python_started": time.time()}
    from advisor.launch import begin_startup, end_startup, start_read_ahead

    if not os.environ.get("BENCH_CHAT_NO_GC_PAUSE"):  # for A/B runs of the pause itself
        begin_startup()  # as the `advisor` script does before its imports
    start_read_ahead(["chat", "--brief", str(brief)])
    from advisor.cli.common import make_advisor, make_settings
    from advisor.portfolio.briefs import read_any_brief

    marks["advisor_imported"] = time.time()
    settings = make_settings()
    parsed = read_any_brief(brief, settings.max_brief_bytes)
    advisor = make_advisor(settings, audit_as=None)
    marks["advisor_built"] = time.time()
    from tui.opening import Opening, opened_in_background

    opening = opened_in_background(advisor, Opening(brief=parsed))  # as `advisor chat` does, before the UI
    from tui.app import make_app

    marks["tui_imported"] = time.time()
    app = make_app(advisor, opening=opening)
    end_startup()  # as `advisor chat` does once its app is built

    async def watch(pilot: Any) -> None:
        from tui.widgets.conversation import Conversation

        marks["screen_painted"] = time.time()  # auto_pilot starts once the first screen is up
        while True:
            chat = app.chat
            if chat is not None and chat.session is not None and chat.is_mounted:
                texts = chat.query_one(Conversation).texts()
                if any(text.startswith("**Q1/") for text in texts):
                    await pilot.pause()  # the frame with the question has been drawn
                    marks["shown_at"] = time.time()
                    app.exit()
                    return
            await asyncio.sleep(0.002)

    app.run(headless=True, size=(80, 24), auto_pilot=watch)
    print(json.dumps(marks))


def launch_once(data_dir: Path) -> dict[str, float]:
    """Seconds from starting the process to each stage, the last being the first question on screen."""
    env = {**os.environ, "ADVISOR_DATA_DIR": str(data_dir), "ADVISOR_AUDIT": "false", "ANONYMIZED_TELEMETRY": "False"}
    started = time.time()
    done = subprocess.run(
        [sys.executable, __file__, "--child-launch", str(BRIEF)],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    marks = json.loads(done.stdout.strip().splitlines()[-1])
    return {name: at - started for name, at in marks.items()}


async def key_to_screen(answers: int, data_dir: Path) -> list[float]:
    """Milliseconds from pressing enter on an answer to the next question on screen, per answer."""
    from advisor.launch import begin_startup, end_startup

    begin_startup()  # the start as `advisor chat` makes it: collector paused, then what it built frozen
    from textual import events
    from textual.widget import Widget

    from advisor.api import Advisor
    from advisor.checkpoint import sqlite_checkpointer
    from advisor.settings import Settings
    from tui.app import make_app
    from tui.widgets.conversation import Conversation

    def questions(pane: Conversation) -> list[Widget]:
        return [m for m in pane.children if str(getattr(m, "source", "")).startswith("**Q")]

    settings = Settings(data_dir=data_dir, audit=False)
    advisor = Advisor(settings, checkpointer=sqlite_checkpointer(data_dir / "bench-chat.sqlite"), audit_as=None)
    app = make_app(advisor, brief=BRIEF.read_text(), max_questions=answers + 3, thread_id=f"bench-{time.time_ns()}")
    end_startup()
    latencies: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(answers):
            chat = app.chat
            assert chat is not None and chat.session is not None
            pane = chat.query_one(Conversation)
            before = len(questions(pane))
            await pilot.press(*ANSWER)
            # Enter goes straight to the driver, as a terminal's key would: Pilot.press also waits for the
            # app to go idle, which would time the Pilot, not the chat.
            key = events.Key("enter", "\r")
            key.set_sender(app)
            started = time.perf_counter()
            assert app._driver is not None
            app._driver.send_message(key)
            while app.screen is chat:  # the last answer opens the plan screen instead
                shown = questions(pane)
                # Laid out (a size) means the refresh that paints it has run.
                if len(shown) > before and shown[-1].size.height > 0:
                    break
                await asyncio.sleep(0.005)  # finer polling would compete with the chat for the GIL
            if app.screen is not chat:  # not a key-to-question turn
                await app.workers.wait_for_complete()
                await pilot.pause()
                break
            latencies.append((time.perf_counter() - started) * 1000)
            await app.workers.wait_for_complete()
            await pilot.pause()
    return latencies


def main() -> None:
    """Run both measurements and write chat_results.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--answers", type=int, default=10)
    parser.add_argument("--child-launch", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_launch:
        child_launch(args.child_launch)
        return
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        launch_once(data_dir)  # builds the knowledge store once; not counted
        stages = [launch_once(data_dir) for _ in range(args.runs)]
        launches = [stage["shown_at"] for stage in stages]
        keys = asyncio.run(key_to_screen(args.answers, data_dir))
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_1m": round(os.getloadavg()[0], 2),
        "launch_to_first_question_s": {
            "median": round(statistics.median(launches), 3),
            "runs": [round(x, 3) for x in launches],
            "target": 1.5,
            "stages_median_s": {
                name: round(statistics.median(stage[name] for stage in stages), 3) for name in stages[0]
            },
        },
        "key_to_screen_ms": {
            "median": round(statistics.median(keys), 1),
            "p95": round(sorted(keys)[max(0, int(len(keys) * 0.95) - 1)], 1),
            "answers": len(keys),
            "target": 200,
        },
    }
    out = ROOT / "benchmarks" / "chat_results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
