"""Kill -9 at random points of a batch and of LLM-engine interviews: finished work survives, secrets never land."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.openai_stub import serve_openai_stub

pytestmark = pytest.mark.slow


def _env(store_path: Path, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ADVISOR_STORE_PATH": str(store_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "ANONYMIZED_TELEMETRY": "False",
    }


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
        time.sleep(rng.uniform(3.0, 6.0))
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
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env.pop(proxy, None)
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
