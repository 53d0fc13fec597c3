"""Interview checkpoints in a real PostgreSQL (started by the test on 127.0.0.1), resumed by a new Advisor."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.api import Advisor
from advisor.checkpoint import make_checkpointer
from advisor.settings import Settings


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser to start PostgreSQL as another user")
        as_user = ["runuser", "-u", "postgres", "--"]
    # Not under pytest's tmp folder: that is private to root, and the server runs as another user.
    folder = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
    data = folder / "data"
    if as_user:
        folder.chmod(0o755)
        shutil.chown(folder, "postgres")
    port = _free_port()
    subprocess.run([*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "advisor"], check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder}"
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    try:
        yield f"postgresql://advisor@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def test_interview_checkpoints_in_postgres_survive_a_new_process_object(advisor: Advisor, postgres_url: str) -> None:
    settings = Settings(store_path=Path(advisor.store.path), postgres_url=postgres_url)
    parts = {"knowledge": advisor.knowledge, "store": advisor.store, "reasoner": advisor.reasoner}
    first = Advisor(settings, checkpointer=make_checkpointer(settings), **parts)  # type: ignore[arg-type]
    session = first.start_interview("The API key is pasted in the notebook.", thread_id="pg-1", max_questions=4)
    question = session.question
    assert question is not None
    session.answer("Nobody has been named to own the model after the pilot.")
    waiting = session.question
    second = Advisor(settings, checkpointer=make_checkpointer(settings), **parts)  # type: ignore[arg-type]
    resumed = second.resume("pg-1")
    assert resumed.question == waiting
    assert [a.answer for a in resumed.transcript] == ["Nobody has been named to own the model after the pilot."]
    report = resumed.finish()
    assert report.verdict == "not_ready"
    assert [s.thread_id for s in second.sessions()] == ["pg-1"]
    second.delete_session("pg-1")
    assert second.sessions() == []
