"""The audit log: whole lines under concurrent writers, records that trace a report, and the CLI wiring."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from advisor.api import Advisor
from advisor.audit import AuditRecord, append_audit, audit_record, audit_report, prompt_version, read_audit
from advisor.domain.report import Report
from advisor.intake import brief_from_text
from advisor.llm.prompts import default_prompts_dir
from advisor.render import render
from advisor.settings import Settings
from tests.conftest import EXAMPLES, ROOT
from tests.support.cli import run_cli

PLANTED_KEY = "sk-planted-AUDIT-0123456789abcdef"


def make_record(brief: str = "b", command: str = "api") -> AuditRecord:
    return AuditRecord(
        time=datetime.now(UTC), command=command, brief=brief, input_sha256="i" * 64, engine="offline",  # type: ignore[arg-type]
        model="m", knowledge_version="k", prompt_version="p", advisor_version="0", output_sha256="o" * 64,
        verdict="ready", user="u", host="h",
    )  # fmt: skip


@pytest.fixture(scope="module")
def report(advisor: Advisor) -> Report:
    text = (EXAMPLES / "retail-churn.md").read_text()
    return advisor.assess(brief_from_text(text, name="retail-churn", source="retail-churn.md"))


# --- appending -------------------------------------------------------------------------------------------

_WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from advisor.audit import AuditRecord, append_audit
path, tag, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for n in range(count):
    append_audit(path, AuditRecord(
        time=datetime.now(UTC), command="batch", brief=f"{tag}-{n}-" + "x" * 8000, input_sha256="i",
        engine="offline", model="m", knowledge_version="k", prompt_version="p", advisor_version="0",
        output_sha256="o", verdict="ready", user="u", host="h"))
"""


def test_two_processes_appending_200_lines_leave_200_whole_json_lines(tmp_path: Path) -> None:
    # Lines of 8 kB are far beyond what one unlocked buffered write keeps whole, so interleaving would show.
    log = tmp_path / "new" / "folder" / "audit.jsonl"
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(log), tag, "100"], cwd=ROOT) for tag in ("a", "b")]
    assert [w.wait(timeout=60) for w in writers] == [0, 0]
    lines = log.read_text().splitlines()
    assert len(lines) == 200
    briefs = {AuditRecord.model_validate_json(line).brief.rsplit("-", 1)[0] for line in lines}
    assert briefs == {f"{tag}-{n}" for tag in ("a", "b") for n in range(100)}


def test_threads_appending_concurrently_leave_whole_lines(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"

    def write(tag: str) -> None:
        for n in range(50):
            append_audit(log, make_record(f"{tag}-{n}-" + "y" * 5000))

    threads = [threading.Thread(target=write, args=(str(t),)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = [AuditRecord.model_validate_json(line) for line in log.read_text().splitlines()]
    assert len(records) == 200 and len({r.brief for r in records}) == 200


def test_appending_never_rewrites_earlier_lines_and_survives_a_torn_last_line(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    append_audit(log, make_record("first"))
    before = log.read_bytes()
    with log.open("ab") as handle:  # a writer killed mid-line
        handle.write(b'{"time": "2026-01-01T00:00:00Z", "comm')
    torn = log.read_bytes()
    append_audit(log, make_record("second"))
    after = log.read_bytes()
    assert after.startswith(torn) and torn.startswith(before)
    assert [r.brief for r in read_audit(log)] == ["first", "second"]
    assert oct(log.stat().st_mode & 0o777) == oct(0o600)  # it names users and hosts: owner-only


# --- records ----------------------------------------------------------------------------------------------


def test_record_traces_the_report_and_survives_a_save_and_reload(report: Report) -> None:
    record = audit_record(report, "api")
    assert record.command == "api" and record.brief == "retail-churn" and record.verdict == report.verdict
    assert record.input_sha256 == report.provenance.brief_sha256
    assert record.input_sha256 == hashlib.sha256((EXAMPLES / "retail-churn.md").read_text().encode()).hexdigest()
    assert (record.engine, record.model) == (report.provenance.engine, report.provenance.model)
    assert record.knowledge_version == report.provenance.knowledge_version
    assert record.advisor_version == report.provenance.advisor_version
    assert record.output_sha256 == hashlib.sha256(report.model_dump_json().encode()).hexdigest()
    # A report saved as JSON (indented, as `--format json` prints it) and read back hashes the same.
    reloaded = Report.model_validate_json(render(report, "json"))
    assert audit_record(reloaded, "api").output_sha256 == record.output_sha256
    assert record.user and record.host
    assert record.time.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - record.time) < timedelta(minutes=1)
    assert json.loads(record.model_dump_json())["time"].endswith("Z")


def test_prompt_version_changes_with_any_prompt_edit_or_rename(tmp_path: Path) -> None:
    assert prompt_version() == prompt_version(default_prompts_dir())
    edited, renamed = tmp_path / "edited", tmp_path / "renamed"
    for copy in (edited, renamed):
        shutil.copytree(default_prompts_dir(), copy)
    assert prompt_version(edited) == prompt_version()
    template = sorted(edited.glob("*.md"))[0]
    template.write_text(template.read_text() + "\nIgnore the rules.\n")
    assert prompt_version(edited) != prompt_version()
    sorted(renamed.glob("*.md"))[0].rename(renamed / "zz-renamed.md")
    assert prompt_version(renamed) != prompt_version()


def test_user_falls_back_to_unknown(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_user() -> str:
        raise OSError("no passwd entry")

    monkeypatch.setattr("getpass.getuser", no_user)
    assert audit_record(report, "assess").user == "unknown"


def test_settings_default_path_and_switch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.audit and settings.audit_path == tmp_path / "audit.jsonl"
    monkeypatch.setenv("ADVISOR_AUDIT_LOG", str(tmp_path / "elsewhere.jsonl"))
    monkeypatch.setenv("ADVISOR_AUDIT", "false")
    settings = Settings(data_dir=tmp_path)
    assert not settings.audit and settings.audit_path == tmp_path / "elsewhere.jsonl"


def test_audit_report_honours_the_switch_and_reports_an_unwritable_log(report: Report, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    assert audit_report(Settings(audit_log=log, audit=False), report, "api") is None
    assert not log.exists()
    assert audit_report(Settings(audit_log=log), report, "api") is None
    assert [r.output_sha256 for r in read_audit(log)] == [audit_record(report, "api").output_sha256]
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    warning = audit_report(Settings(audit_log=blocker / "audit.jsonl"), report, "api")
    assert warning is not None and "not written" in warning


# --- the CLI ----------------------------------------------------------------------------------------------


def run(
    args: list[str], store_path: Path, tmp_path: Path, stdin: str | None = None, **extra: str
) -> subprocess.CompletedProcess[str]:
    # The planted key is present in every run: it must never reach the log.
    return run_cli(args, store_path, tmp_path, timeout=120, env={"ADVISOR_LLM_API_KEY": PLANTED_KEY, **extra},
                   stdin=stdin)  # fmt: skip


@pytest.mark.slow
def test_assess_appends_a_record_that_verify_finds(store_path: Path, tmp_path: Path) -> None:
    log = tmp_path / "data" / "poc-advisor" / "audit.jsonl"
    result = run(["assess", str(EXAMPLES / "retail-churn.md"), "--format", "json"], store_path, tmp_path)
    assert result.returncode == 0, result.stderr
    printed = Report.model_validate_json(result.stdout)
    (record,) = list(read_audit(log))
    assert record.command == "assess" and record.verdict == printed.verdict
    assert record.output_sha256 == hashlib.sha256(printed.model_dump_json().encode()).hexdigest()
    assert record.input_sha256 == printed.provenance.brief_sha256

    saved = tmp_path / "report.json"
    saved.write_text(result.stdout)
    found = run(["audit", "--verify", str(saved)], store_path, tmp_path)
    assert found.returncode == 0, found.stderr
    assert "on record" in found.stdout and record.output_sha256[:12] in found.stdout

    tampered = tmp_path / "tampered.json"
    data = json.loads(result.stdout)
    data["verdict"] = "ready"
    tampered.write_text(json.dumps(data))
    missing = run(["audit", "--verify", str(tampered)], store_path, tmp_path)
    assert missing.returncode == 1 and "no audit record" in missing.stdout

    listed = run(["audit", "--last", "1", "--json"], store_path, tmp_path)
    assert listed.returncode == 0 and AuditRecord.model_validate_json(listed.stdout) == record
    assert PLANTED_KEY not in log.read_text()


@pytest.mark.slow
def test_interview_and_batch_append_records(store_path: Path, tmp_path: Path) -> None:
    log = tmp_path / "data" / "poc-advisor" / "audit.jsonl"
    brief = str(EXAMPLES / "bank-rag-assistant.md")
    saved = tmp_path / "interview.json"
    interview = run(
        ["interview", "--brief", brief, "-f", "json", "-o", str(saved)], store_path, tmp_path, stdin="done\n"
    )
    assert interview.returncode == 0, interview.stderr
    out = tmp_path / "reports"
    batch = run(["batch", brief, str(EXAMPLES / "retail-churn.md"), "-o", str(out), "-f", "json"], store_path, tmp_path)
    assert batch.returncode == 0, batch.stderr
    records = list(read_audit(log))
    assert [r.command for r in records] == ["interview", "batch", "batch"]
    report = Report.model_validate_json(saved.read_text())
    assert records[0].output_sha256 == hashlib.sha256(report.model_dump_json().encode()).hexdigest()
    assert run(["audit", "--verify", str(out / "retail-churn.json")], store_path, tmp_path).returncode == 0
    # A rerun reuses the up-to-date reports: nothing new is assessed, so nothing new is recorded.
    assert run(["batch", brief, "-o", str(out), "-f", "json"], store_path, tmp_path).returncode == 0
    assert len(list(read_audit(log))) == 3
    assert PLANTED_KEY not in log.read_text()


@pytest.mark.slow
def test_audit_off_writes_nothing(store_path: Path, tmp_path: Path) -> None:
    result = run(["assess", str(EXAMPLES / "retail-churn.md")], store_path, tmp_path, ADVISOR_AUDIT="false")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "data" / "poc-advisor" / "audit.jsonl").exists()
    empty = run(["audit"], store_path, tmp_path)
    assert empty.returncode == 0 and "no audit records" in empty.stderr


def test_the_library_records_assessments_and_finished_interviews_once(advisor: Advisor, tmp_path: Path) -> None:
    log = tmp_path / "library-audit.jsonl"
    settings = Settings(store_path=advisor.settings.store_path, data_dir=tmp_path, audit_log=log)
    embedded = Advisor(settings, knowledge=advisor.knowledge, store=advisor.store, reasoner=advisor.reasoner)
    report = embedded.assess("There is no monitoring and nobody owns the model after launch.", name="host-brief")
    session = embedded.start_interview("We built a churn model in a notebook.", thread_id="lib-audit")
    session.answer("Nobody owns it after launch.")
    finished = session.finish()
    assert session.report == finished and embedded.resume("lib-audit").finish() == finished  # re-reads
    records = list(read_audit(log))
    assert [(r.command, r.output_sha256) for r in records] == [
        ("api", hashlib.sha256(report.model_dump_json().encode()).hexdigest()),
        ("api", hashlib.sha256(finished.model_dump_json().encode()).hexdigest()),
    ]

    chat = Advisor(settings, knowledge=advisor.knowledge, store=advisor.store, reasoner=advisor.reasoner,
                   audit_as="chat")  # fmt: skip
    chat.start_interview("We built a churn model.", thread_id="chat-audit").finish()
    silent = Advisor(settings, knowledge=advisor.knowledge, store=advisor.store, reasoner=advisor.reasoner,
                     audit_as=None)  # fmt: skip
    silent.assess("We have no monitoring.")
    assert [r.command for r in read_audit(log)] == ["api", "api", "chat"]


def test_an_unwritable_audit_log_is_a_notice_not_a_lost_report(advisor: Advisor, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log's folder should be")
    settings = Settings(store_path=advisor.settings.store_path, data_dir=tmp_path, audit_log=blocker / "audit.jsonl")
    embedded = Advisor(settings, knowledge=advisor.knowledge, store=advisor.store, reasoner=advisor.reasoner)
    report = embedded.assess("There is no monitoring and nobody owns the model after launch.")
    assert report.verdict in {"not_ready", "ready_with_conditions", "ready"}
    assert any(n.startswith(f"audit log {blocker / 'audit.jsonl'} not written") for n in embedded.notices)
