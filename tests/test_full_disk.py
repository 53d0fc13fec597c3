"""A full disk, for real: a small tmpfs filled to the last block, then reports, batches and answers written to it.

Nothing may be lost: the previous report stays whole, no temporary file is left behind, every answer already
saved survives, and the user gets one line saying what could not be written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.support.cli import cli_env, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs of its own (needs root and mount rights; skipped with the reason elsewhere)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command: cannot make a small filesystem to fill")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({made.stderr.strip() or 'not permitted'}): run as root to test")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """Fill the filesystem to its last byte; returns the filler so a test can free the space again."""
    filler = disk / f"filler-{uuid.uuid4().hex[:6]}"
    stat = os.statvfs(disk)
    with filler.open("wb") as handle:
        try:
            handle.write(b"\0" * (stat.f_bavail * stat.f_frsize))
            handle.flush()
        except OSError:
            pass  # full, as wanted
    return filler


def one_line_no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert all(line.startswith("advisor:") for line in stderr.strip().splitlines())


def test_a_report_written_to_a_full_disk_leaves_the_previous_report_whole(
    disk: Path, store_path: Path, tmp_path: Path
) -> None:
    report = disk / "report.html"
    report.write_text("<p>last week's report</p>")
    fill(disk)
    result = run_cli(
        ["assess", str(EXAMPLES / "retail-churn.md"), "--format", "html", "--out", str(report)], store_path, tmp_path
    )
    assert result.returncode == 1
    one_line_no_traceback(result.stderr)
    assert f"cannot write {report}: No space left on device" in result.stderr
    assert report.read_text() == "<p>last week's report</p>"
    assert sorted(p.name for p in disk.iterdir() if not p.name.startswith("filler")) == ["report.html"]


def test_an_audit_log_on_a_full_disk_does_not_cost_the_report(disk: Path, store_path: Path, tmp_path: Path) -> None:
    log = disk / "audit.jsonl"
    fill(disk)
    out = tmp_path / "report.md"
    result = run_cli(
        ["assess", str(EXAMPLES / "retail-churn.md"), "--out", str(out)],
        store_path,
        tmp_path,
        env={"ADVISOR_AUDIT_LOG": str(log)},
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("# ")
    assert f"warning: audit log {log} not written (No space left on device)" in result.stderr


def test_a_batch_onto_a_full_disk_reports_each_brief_and_keeps_earlier_reports(
    disk: Path, store_path: Path, tmp_path: Path
) -> None:
    out = disk / "portfolio"
    briefs = [str(EXAMPLES / "retail-churn.md"), str(EXAMPLES / "bank-rag-assistant.md")]
    first = run_cli(["batch", briefs[0], "--out", str(out), "-f", "json,md"], store_path, tmp_path)
    assert first.returncode == 0, first.stderr
    kept = {p.name: p.read_bytes() for p in out.iterdir()}
    filler = fill(disk)
    second = run_cli(["batch", *briefs, "--out", str(out), "-f", "json,md", "--force"], store_path, tmp_path)
    assert second.returncode == 1
    one_line_no_traceback(second.stderr)
    assert "skipped " + briefs[1] + ": cannot write its report (No space left on device)" in second.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == kept  # whole, and no temporary files

    filler.unlink()  # space again: the same command finishes the job
    third = run_cli(["batch", *briefs, "--out", str(out), "-f", "json,md"], store_path, tmp_path)
    assert third.returncode == 0, third.stderr
    assert "1 assessed, 1 skipped, 0 failed" in third.stdout


def _read_to_prompt(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    seen = ""
    while not seen.endswith("> "):
        char = process.stdout.read(1)
        if not char:
            break
        seen += char
    return seen


def test_an_answer_when_the_disk_fills_keeps_every_earlier_answer(disk: Path, store_path: Path, tmp_path: Path) -> None:
    env = cli_env(store_path, tmp_path, ADVISOR_DATA_DIR=str(disk / "data"))
    command = [sys.executable, "-m", "advisor.cli", "interview", "--brief", str(EXAMPLES / "retail-churn.md")]
    process = subprocess.Popen(
        [*command, "--session-id", "fulldisk"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert process.stdin is not None
    assert "Q1/" in _read_to_prompt(process)
    process.stdin.write("Nobody owns the model after launch.\n")
    process.stdin.flush()
    second_question = _read_to_prompt(process)
    assert "Q2/" in second_question
    filler = fill(disk)
    process.stdin.write("We have no monitoring at all.\n")
    process.stdin.flush()
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    one_line_no_traceback(stderr)
    assert "the sessions file could not be written (database or disk is full)" in stderr

    filler.unlink()
    shown = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "sessions", "show", "fulldisk"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert "answered: Nobody owns the model after launch." in shown.stdout
    waiting = [line for line in shown.stdout.splitlines() if line.startswith("waiting:")]
    assert len(waiting) == 1 and waiting[0].split("] ", 1)[1] in second_question
