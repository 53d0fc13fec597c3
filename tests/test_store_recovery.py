"""A lost, corrupt or locked knowledge store: detected, rebuilt with the user's documents, old copy kept."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest

from advisor.api import Advisor
from advisor.cli.common import CliError, open_built_store
from advisor.knowledge.loader import KnowledgeBase
from advisor.settings import Settings
from advisor.store import chroma_store
from advisor.store.chroma_store import KnowledgeStore, open_store, user_documents_dir
from tests.conftest import EXAMPLES
from tests.support.cli import run_cli

POSTMORTEM = (
    "Postmortem 2024-07: the fraud model silently degraded for nine weeks because nobody watched the "
    "score distribution. We now page the on-call engineer when the population stability index moves."
)


@pytest.fixture
def user_store(store_path: Path, tmp_path: Path) -> Path:
    """A built store of our own (a copy of the session's) holding one document the user added."""
    path = tmp_path / "chroma"
    shutil.copytree(store_path, path)
    store = open_store(path)
    assert store.add_document("postmortems/fraud.md", POSTMORTEM) == 1
    store.close()
    return path


def _broken_copies(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.broken-*"))


def _cli(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(args, None, tmp_path)  # the user's own store, under the throwaway data folder


@pytest.mark.slow
def test_junk_database_is_rebuilt_by_the_cli_and_assess_works_after(user_store: Path, tmp_path: Path) -> None:
    record = user_documents_dir(user_store)
    assert json.loads((record / "manifest.json").read_text())["documents"].keys() == {"postmortems/fraud.md"}
    junk = os.urandom(64 * 1024)
    (user_store / "chroma.sqlite3").write_bytes(junk)

    stats = _cli(["kb", "stats", "--store", str(user_store)], tmp_path)

    assert stats.returncode == 0, stats.stderr
    notice = [line for line in stats.stderr.splitlines() if "was unreadable" in line]
    assert len(notice) == 1 and "1 of your documents" in notice[0] and "Traceback" not in stats.stderr
    assert json.loads(stats.stdout)["user_documents"] == 1
    (aside,) = _broken_copies(user_store)
    assert str(aside) in notice[0]
    assert (aside / "chroma.sqlite3").read_bytes() == junk  # the user's broken data is kept, untouched

    assess = _cli(
        ["assess", str(EXAMPLES / "retail-churn.md"), "--format", "json", "--store", str(user_store)], tmp_path
    )
    assert assess.returncode == 0, assess.stderr
    assert json.loads(assess.stdout)["verdict"] in {"not_ready", "ready_with_conditions", "ready"}
    assert "unreadable" not in assess.stderr  # recovered once, not on every run


def _truncate(path: Path) -> None:
    with (path / "chroma.sqlite3").open("r+b") as db:
        db.truncate(16 * 1024)


def _delete_database(path: Path) -> None:
    (path / "chroma.sqlite3").unlink()


@pytest.mark.parametrize("damage", [_truncate, _delete_database], ids=["truncated", "database-file-gone"])
def test_damaged_store_is_moved_aside_and_rebuilt_with_user_documents(
    user_store: Path, damage: object, capsys: pytest.CaptureFixture[str]
) -> None:
    damage(user_store)  # type: ignore[operator]
    store, _ = open_built_store(Settings(store_path=user_store))
    assert isinstance(store, KnowledgeStore)
    stats = store.stats()
    assert stats["user_documents"] == 1 and stats["knowledge_chunks"] > 0
    assert any(p.kind == "user" and "nine weeks" in p.text for p in store.search("model degraded unnoticed", k=5))
    assert "was unreadable" in capsys.readouterr().err
    assert len(_broken_copies(user_store)) == 1


def test_deleted_store_is_a_first_build_that_brings_back_user_documents(
    user_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(user_store)
    store, _ = open_built_store(Settings(store_path=user_store))
    assert store.stats()["user_documents"] == 1
    assert "re-added 1 of your recorded documents" in capsys.readouterr().err
    assert _broken_copies(user_store) == []  # nothing was broken, nothing to keep aside


def test_a_folder_that_is_not_a_store_is_refused_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("mine")
    with pytest.raises(CliError, match="not a knowledge store") as info:
        open_built_store(Settings(store_path=folder))
    assert info.value.exit_code == 1
    assert sorted(p.name for p in folder.iterdir()) == ["todo.txt"] and _broken_copies(folder) == []


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path / "chroma.sqlite3", isolation_level=None, check_same_thread=False)
    con.execute("BEGIN EXCLUSIVE")
    return con


def test_store_locked_by_another_process_fails_with_one_line_and_is_not_touched(
    user_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chroma_store, "LOCK_WAITS", (0.05, 0.1))
    con = _hold_write_lock(user_store)
    try:
        with pytest.raises(CliError, match="locked by another process") as info:
            open_built_store(Settings(store_path=user_store))
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert info.value.exit_code == 1 and "\n" not in str(info.value)
    assert _broken_copies(user_store) == []  # a lock is not corruption: nothing moved, nothing rebuilt


def test_a_lock_released_during_the_wait_is_waited_for(user_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chroma_store, "LOCK_WAITS", (0.2, 0.2, 0.2, 0.2, 0.2))
    con = _hold_write_lock(user_store)

    def release() -> None:
        con.execute("ROLLBACK")
        con.close()

    timer = threading.Timer(0.3, release)
    timer.start()
    try:
        store, _ = open_built_store(Settings(store_path=user_store))
    finally:
        timer.join()
    assert store.stats()["user_documents"] == 1 and _broken_copies(user_store) == []


def test_rebuild_from_scratch_re_adds_recorded_documents(user_store: Path) -> None:
    store, _ = open_built_store(Settings(store_path=user_store), force=True, from_scratch=True)
    stats = store.stats()
    assert stats["user_documents"] == 1 and stats["user_chunks"] == 1


def test_the_library_recovers_a_corrupt_store_too(user_store: Path, knowledge: KnowledgeBase) -> None:
    (user_store / "chroma.sqlite3").write_bytes(b"definitely not sqlite" * 100)
    advisor = Advisor(Settings(store_path=user_store), knowledge=knowledge)
    assert advisor.notices and "was unreadable" in advisor.notices[0]
    assert len(_broken_copies(user_store)) == 1
    report = advisor.assess("Nobody owns the model after launch and the API key is pasted in the notebook.")
    assert report.verdict == "not_ready"
    assert advisor.store.stats()["user_documents"] == 1
