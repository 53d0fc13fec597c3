"""`advisor interview` as scripts and people use it: piped answers, and kill -9 in the middle."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.support.cli import cli_env

pytestmark = pytest.mark.slow
_QUESTION = re.compile(r"Q(\d+)/(\d+) · (\w+)(?: \(follow-up\))?\n(.+)\n")


def env_for(store_path: Path, tmp_path: Path) -> dict[str, str]:
    return cli_env(store_path, tmp_path)


class Interviewer:
    """Drives a live `advisor interview` process prompt by prompt."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "advisor.cli", "interview", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        self.seen = ""

    def next_question(self, timeout: float = 120) -> str:
        """Read until the next '> ' prompt and return the question text shown before it."""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        start = len(self.seen)
        while not self.seen.endswith("> "):
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError(self.seen[-500:])
            chunk = os.read(self.proc.stdout.fileno(), 4096).decode()
            if not chunk:
                raise EOFError(self.seen[-500:])
            self.seen += chunk
        found = _QUESTION.findall(self.seen[start:])
        assert found, self.seen[start:]
        return found[-1][3]

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()
        self.seen = ""


def test_piped_interview_ends_in_a_report(store_path: Path, tmp_path: Path) -> None:
    answers = "Nobody owns the model after launch.\nskip\nwhy\nThe API key is pasted in the notebook.\ndone\n"
    result = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "interview", "--brief", str(EXAMPLES / "retail-churn.md"),
         "--format", "json", "--max-questions", "6"],
        input=answers, capture_output=True, text=True, env=env_for(store_path, tmp_path), timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "resume with: advisor interview --resume" in result.stderr
    report_text = result.stdout[result.stdout.index("{\n") :]
    import json

    report = json.loads(report_text)
    assert report["verdict"] == "not_ready"
    assert "Q1/6" in result.stdout and "Q2/6" in result.stdout


def test_kill_9_mid_interview_then_resume_loses_nothing(store_path: Path, tmp_path: Path) -> None:
    env = env_for(store_path, tmp_path)
    live = Interviewer(["--session-id", "kill-test", "--max-questions", "8"], env)
    first = live.next_question()
    live.send("Nobody has been named to own the model after the pilot.")
    second = live.next_question()
    live.send("There is no monitoring, no retraining plan and no budget to run it.")
    waiting = live.next_question()
    live.proc.send_signal(signal.SIGKILL)
    live.proc.wait(timeout=30)
    assert live.proc.returncode == -signal.SIGKILL

    resumed = Interviewer(["--resume", "kill-test"], env)
    assert resumed.next_question() == waiting
    resumed.proc.kill()
    resumed.proc.wait(timeout=30)

    shown = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "sessions", "show", "kill-test"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert first in shown.stdout and second in shown.stdout
    assert "Nobody has been named to own the model" in shown.stdout
    assert "no budget to run it" in shown.stdout
    assert "waiting: " in shown.stdout and waiting in shown.stdout


def test_unknown_session_and_conflicting_options(store_path: Path, tmp_path: Path) -> None:
    env = env_for(store_path, tmp_path)
    missing = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "interview", "--resume", "nope"],
        capture_output=True, text=True, env=env, timeout=120, input="",
    )  # fmt: skip
    assert missing.returncode == 2 and "no session nope" in missing.stderr
    both = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "interview", "--resume", "x", "--brief", "y.md"],
        capture_output=True, text=True, env=env, timeout=120, input="",
    )  # fmt: skip
    assert both.returncode == 2 and "either --brief" in both.stderr


def test_sessions_list_export_delete(store_path: Path, tmp_path: Path) -> None:
    env = env_for(store_path, tmp_path)

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "advisor.cli", *args], capture_output=True, text=True, env=env, timeout=120,
            input=stdin,
        )  # fmt: skip

    started = cli("interview", "--session-id", "s1", "--max-questions", "3", stdin="The API key is in the notebook.\n")
    assert started.returncode == 0, started.stderr
    listed = cli("sessions", "list")
    match = re.search(r"^s1  interview  1 asked  finished, (\w+)$", listed.stdout, re.MULTILINE)
    assert match, listed.stdout
    exported = cli("sessions", "export", "s1", "--format", "json")
    assert f'"verdict": "{match.group(1)}"' in exported.stdout
    assert cli("sessions", "delete", "s1").returncode == 0
    assert "no sessions" in cli("sessions", "list").stdout
    gone = cli("sessions", "show", "s1")
    assert gone.returncode == 2 and "no session s1" in gone.stderr
