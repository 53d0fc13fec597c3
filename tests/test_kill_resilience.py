"""Kill -9 at random points of a batch and of LLM-engine interviews: finished work survives, secrets never land."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.support.cli import cli_env
from tests.support.openai_stub import serve_openai_stub

pytestmark = pytest.mark.slow


def _env(store_path: Path, tmp_path: Path) -> dict[str, str]:
    return cli_env(store_path, tmp_path)


def test_a_batch_killed_at_random_points_keeps_every_finished_report(store_path: Path, tmp_path: Path) -> None:
    briefs = tmp_path / "briefs"
    briefs.mkdir()
    for path in sorted((ROOT / "evals" / "dataset").glob("*/*.md"))[:16]:
        shutil.copy(path, briefs / path.name)
    out = tmp_path / "out"
    env = _env(store_path, tmp_path)
    command = [sys.executable, "-m", "advisor.cli", "batch", str(briefs), "--out", str(out), "--format", "json,md"]
    rng = random.Random(7)
    for _ in range(3):
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Random points after some progress, so a slow or busy machine still kills mid-batch, not mid-start.
        _wait_until(lambda: len(_reports(out)) > 0, proc)
        time.sleep(rng.uniform(0.0, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        for report in out.glob("*.json"):
            if report.name.startswith("portfolio"):
                continue
            json.loads(report.read_text())  # every report on disk is whole, never half-written
    done_before = {p.name for p in out.glob("*.json") if not p.name.startswith("portfolio")}
    assert done_before, "some briefs were finished before the kills"
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert f"{len(done_before)} skipped" in finished.stdout, "work finished before a kill is not redone"
    reports = {p.name for p in out.glob("*.json") if not p.name.startswith("portfolio")}
    assert len(reports) == 16


def test_llm_interview_killed_mid_answer_resumes_and_no_artefact_holds_the_key(
    store_path: Path, tmp_path: Path
) -> None:
    key = "sk-planted-key-9f8e7d6c5b4a"
    env = {
        **_env(store_path, tmp_path),
        "ADVISOR_ENGINE": "llm",
        "ADVISOR_LLM_API_KEY": key,
        "ADVISOR_LLM_MODEL": "stub-model",
        "ADVISOR_LLM_STRUCTURED_OUTPUT": "json_schema",
        "ADVISOR_LLM_MAX_RETRIES": "0",
        "ADVISOR_LLM_TIMEOUT_S": "2",
    }
    with serve_openai_stub() as stub:
        env["ADVISOR_LLM_BASE_URL"] = stub.base_url
        for _ in range(60):  # any request gets a harmless, valid reply
            stub.reply({"items": [], "question": "Who owns the model after launch?", "sufficient": True,
                        "reason": "ok", "summary": "Not ready for production."})  # fmt: skip
        first = subprocess.Popen(
            [sys.executable, "-m", "advisor.cli", "interview", "--session-id", "k1", "--max-questions", "4"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        assert first.stdin is not None
        first.stdin.write(b"Nobody owns the model after launch; that is the plan for now.\n")
        first.stdin.flush()
        time.sleep(8)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        resumed = subprocess.run(
            [sys.executable, "-m", "advisor.cli", "interview", "--resume", "k1", "--format", "json"],
            input="done\n", capture_output=True, text=True, env=env, timeout=180,
        )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    artefacts = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert any(p.name.startswith("sessions.sqlite") for p in artefacts)
    for path in artefacts:
        assert key.encode() not in path.read_bytes(), f"the API key leaked into {path}"
    assert key not in resumed.stdout + resumed.stderr


ANSWERS = [
    "Nobody owns the model after launch.",
    "There is no monitoring and no retraining plan.",
    "Customer emails are copied into the notebook without access control.",
    "Only one data scientist built it and she leaves in March.",
    "The data comes from three CRMs that disagree on customer ids.",
    "It runs on a laptop; there is no serving platform.",
    "The board was told it goes live next quarter.",
    "Scores must be written back to the mainframe billing system.",
    "We have not measured latency or volume at all.",
    "Nobody has defined the business metric it should move.",
]


def _reports(out: Path) -> list[Path]:
    return [p for p in out.glob("*.json") if not p.name.startswith("portfolio")] if out.is_dir() else []


def _wait_until(ready: Callable[[], bool], proc: subprocess.Popen[Any], limit_s: float = 120.0) -> None:
    """Poll until ready() or the process ends; a hang guard, never a timing assertion."""
    deadline = time.monotonic() + limit_s
    while not ready() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)


def _drain(stream: Any, into: list[bytes]) -> None:
    for chunk in iter(lambda: stream.read1(4096), b""):
        into.append(chunk)


def _asked(chunks: list[bytes]) -> bool:
    return b"Q" in b"".join(chunks)


def _answered(env: dict[str, str], session_id: str) -> list[str]:
    shown = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "sessions", "show", session_id],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    return [line.split("answered: ", 1)[1] for line in shown.stdout.splitlines() if "answered: " in line]


def test_an_interview_killed_at_random_points_keeps_every_acknowledged_answer(store_path: Path, tmp_path: Path) -> None:
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    env = _env(store_path, tmp_path)
    sent: list[str] = []
    for round_number in range(3):
        start = (
            ["--session-id", "random-kill", "--max-questions", "12"]
            if round_number == 0
            else ["--resume", "random-kill"]
        )
        batch = ANSWERS[len(sent) : len(sent) + 4]
        process = subprocess.Popen(
            [sys.executable, "-m", "advisor.cli", "interview", *start],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        assert process.stdin is not None and process.stdout is not None
        chunks: list[bytes] = []
        reader = threading.Thread(target=_drain, args=(process.stdout, chunks))
        reader.start()
        # Every answer goes in at once, so the kill can land while any of them is being read or saved.
        process.stdin.write("".join(a + "\n" for a in batch).encode())
        process.stdin.flush()
        _wait_until(partial(_asked, chunks), process)  # the session exists: its first question is out
        time.sleep(rng.uniform(0.0, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        reader.join(timeout=30)
        printed = b"".join(chunks).decode(errors="replace")
        # A question printed after an answer means that answer was on disk first (durability="sync").
        acknowledged = max(0, printed.count("\nQ") - 1) if printed else 0
        answered = _answered(env, "random-kill")
        assert answered == [*sent, *batch][: len(answered)], f"seed {seed}: answers lost or out of order"
        assert len(answered) >= len(sent) + min(acknowledged, len(batch)), (
            f"seed {seed}: an acknowledged answer was lost"
        )
        sent = answered
    finished = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "interview", "--resume", "random-kill", "--format", "json"],
        input="done\n", capture_output=True, text=True, env=env, timeout=180,
    )  # fmt: skip
    assert finished.returncode == 0, f"seed {seed}: {finished.stderr}"
    assert json.loads(finished.stdout)["verdict"] == "not_ready"
