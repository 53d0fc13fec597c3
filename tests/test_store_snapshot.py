"""The store snapshot: a start that skips Chroma reads the same data, and anything that changes the store,
or makes it unreadable, sends the next start back to Chroma."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from advisor.api import Advisor
from advisor.knowledge.loader import KnowledgeBase
from advisor.settings import Settings
from advisor.store import chroma_store
from advisor.store.chroma_store import open_checked, open_from_snapshot, open_store
from advisor.store.snapshot import database_fingerprint, snapshot_path
from tests.support.cli import cli_env

BRIEF = (
    "We built a churn model on a CSV export from the CRM. Nobody owns the model once the data scientist "
    "leaves in March. There is no monitoring and no plan for retraining; the CRM team has not been asked "
    "about an API."
)


@pytest.fixture
def built(tmp_path: Path, store_path: Path) -> Path:
    """A private copy of the session's built store, with the snapshot an Advisor start leaves behind."""
    path = tmp_path / "chroma"
    shutil.copytree(store_path, path, ignore=shutil.ignore_patterns("snapshot.npz"))
    Advisor(Settings(store_path=path, audit=False), audit_as=None).store.close()
    return path


def test_a_start_after_the_first_reads_the_snapshot_and_assesses_the_same(
    built: Path, knowledge: KnowledgeBase
) -> None:
    assert snapshot_path(built).is_file()
    fast, problem = open_checked(built)
    assert problem is None and fast is not None and not fast.opened_chroma
    assert fast.knowledge_version() == knowledge.version
    slow = open_store(built)
    assert np.array_equal(fast.signals().vectors, slow.signals().vectors)
    assert fast.signals().texts == slow.signals().texts
    assert fast.passages().ids == slow.passages().ids
    by_snapshot = Advisor(Settings(store_path=built), knowledge=knowledge, store=fast, audit_as=None).assess(BRIEF)
    by_chroma = Advisor(Settings(store_path=built), knowledge=knowledge, store=slow, audit_as=None).assess(BRIEF)
    assert not fast.opened_chroma  # an assessment with no user documents never needs Chroma
    assert by_snapshot.model_dump(exclude={"provenance"}) == by_chroma.model_dump(exclude={"provenance"})


def test_assess_from_the_command_line_does_not_import_chromadb_on_later_runs(built: Path, tmp_path: Path) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text(BRIEF)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "advisor.cli", "assess", str(brief)],
        capture_output=True, text=True, env=cli_env(built, tmp_path), timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Verdict" in done.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "onnxruntime" in imported  # the trace is there, and the model was loaded
    assert "chromadb" not in imported


QUERIES = ("who gets paged when drift is detected", "on-call rota for the model", "data quality checks")


def test_user_documents_join_the_snapshot_and_are_found_as_chroma_finds_them(
    built: Path, knowledge: KnowledgeBase
) -> None:
    store, _ = open_checked(built)
    assert store is not None and not store.opened_chroma
    store.add_document("runbooks/pager.md", "The on-call engineer is paged when the model's drift alarm fires.")
    store.close()
    written, _ = open_checked(built)  # the store changed: this start opens Chroma and writes a new snapshot
    assert written is not None and written.opened_chroma
    Advisor(Settings(store_path=built), knowledge=knowledge, store=written, audit_as=None)
    written.close()
    fast, _ = open_checked(built)
    assert fast is not None and not fast.opened_chroma
    chroma = open_store(built)
    for query in QUERIES:
        by_snapshot = fast.search(query, k=4, kinds=("card", "user"))
        assert by_snapshot == chroma.search(query, k=4, kinds=("card", "user"))
    assert any(h.kind == "user" for h in fast.search(QUERIES[0], k=3, kinds=("card", "user")))
    assert not fast.opened_chroma


def test_a_document_another_process_adds_is_found_by_a_store_serving_its_snapshot(built: Path) -> None:
    serving, _ = open_checked(built)
    assert serving is not None and not serving.opened_chroma
    assert not any(h.kind == "user" for h in serving.search(QUERIES[0], k=3, kinds=("card", "user")))
    other = open_store(built)  # `advisor kb add` in another terminal
    other.add_document("runbooks/pager.md", "The on-call engineer is paged when the model's drift alarm fires.")
    hits = serving.search(QUERIES[0], k=3, kinds=("card", "user"))
    assert any(h.kind == "user" for h in hits) and serving.opened_chroma


def test_a_store_written_since_the_snapshot_is_opened_with_chroma(built: Path) -> None:
    before = database_fingerprint(built)
    con = sqlite3.connect(built / "chroma.sqlite3")
    # Stands for any write Chroma makes (a collection's metadata changed, a row added).
    con.execute("UPDATE collection_metadata SET str_value = str_value || 'x' WHERE key = 'hnsw:space'")
    con.commit()
    con.close()
    assert database_fingerprint(built) != before
    assert open_from_snapshot(built) is None


def test_a_damaged_snapshot_costs_only_speed_and_is_written_again(built: Path, knowledge: KnowledgeBase) -> None:
    snapshot_path(built).write_bytes(b"PK\x03\x04 not really a zip")
    store, problem = open_checked(built)
    assert problem is None and store is not None and store.opened_chroma
    advisor = Advisor(Settings(store_path=built), knowledge=knowledge, store=store, audit_as=None)
    assert advisor.assess(BRIEF).verdict is not None
    store.close()
    fast, _ = open_checked(built)
    assert fast is not None and not fast.opened_chroma


def test_a_truncated_database_is_still_recovered_with_a_snapshot_beside_it(built: Path) -> None:
    with (built / "chroma.sqlite3").open("r+b") as db:
        db.truncate(16 * 1024)
    store, problem = open_checked(built)
    assert store is None and problem  # the recovery path, as without a snapshot


def test_a_locked_store_with_a_snapshot_is_still_waited_for(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chroma_store, "LOCK_WAITS", (0.05,))
    con = sqlite3.connect(built / "chroma.sqlite3", isolation_level=None, check_same_thread=False)
    con.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(chroma_store.StoreError, match="locked by another process"):
            open_checked(built)
    finally:
        con.execute("ROLLBACK")
        con.close()


def test_a_knowledge_change_rebuilds_a_store_started_from_its_snapshot(built: Path, knowledge: KnowledgeBase) -> None:
    changed = KnowledgeBase(
        knowledge.root, knowledge.cards, knowledge.signals, knowledge.questions, knowledge.actions, knowledge.rates,
        version=knowledge.version + "-changed",
    )  # fmt: skip
    store, _ = open_checked(built)
    assert store is not None and not store.opened_chroma
    assert store.ensure_built(changed) is True
    assert store.opened_chroma and store.knowledge_version() == changed.version
    assert not snapshot_path(built).exists()  # derived from the old build: dropped with it
