"""Reports shown redacted: personal data in quotes and narrative becomes placeholders, nothing else moves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.api import Advisor
from advisor.audit import read_audit, report_sha256
from advisor.domain.report import Report
from advisor.knowledge.loader import KnowledgeBase
from advisor.privacy.report import redact_report
from advisor.settings import Settings
from advisor.store.chroma_store import KnowledgeStore
from tests.support.cli import run_cli

BRIEF = """# Claims triage POC

We built a claims triage model in a notebook. Raw claim files with customer emails such as
jane.doe@example.com and phone numbers like +44 20 7946 0958 are copied into the notebook without
encryption or access control.
Nobody owns the model after launch.
There is no monitoring and no retraining plan.
"""
PERSONAL = ("jane.doe@example.com", "+44 20 7946 0958", "7946")


@pytest.fixture(scope="module")
def plain(advisor: Advisor) -> Report:
    return advisor.assess(BRIEF, name="claims")


def test_the_plain_report_quotes_the_team_and_the_redacted_one_shows_placeholders(plain: Report) -> None:
    quotes = [e.quote for r in plain.risks for e in r.evidence]
    assert any("jane.doe@example.com" in q for q in quotes), "the brief's sentence should be evidence"

    shown = redact_report(plain)
    dumped = shown.model_dump_json()
    assert not any(p in dumped for p in PERSONAL)
    redacted_quotes = [e.quote for r in shown.risks for e in r.evidence]
    assert any("[EMAIL]" in q and "[PHONE]" in q for q in redacted_quotes)
    assert shown.notices[-1] == "Personal data in this report is shown redacted (1 email, 1 phone number)."


def test_redaction_changes_no_score_cost_or_provenance(plain: Report) -> None:
    shown = redact_report(plain)
    assert shown.verdict == plain.verdict
    assert [(r.area, r.severity, r.status, r.confidence) for r in shown.risks] == [
        (r.area, r.severity, r.status, r.confidence) for r in plain.risks
    ]
    assert shown.plan.cost == plain.plan.cost and shown.plan.timeline == plain.plan.timeline
    assert [a.id for a in shown.plan.actions] == [a.id for a in plain.plan.actions]
    assert shown.provenance.model_copy(update={"redacted": False}) == plain.provenance
    assert shown.provenance.redacted and not plain.provenance.redacted
    assert redact_report(plain).model_dump_json() == shown.model_dump_json()  # deterministic


def test_a_report_with_no_personal_data_says_redaction_found_none(advisor: Advisor) -> None:
    shown = redact_report(advisor.assess("There is no monitoring and nobody owns the model after launch."))
    assert shown.notices[-1].endswith("no personal data was found in it.")


def test_the_setting_redacts_every_report_the_library_hands_out(
    store: KnowledgeStore, knowledge: KnowledgeBase, store_path: Path, tmp_path: Path
) -> None:
    settings = Settings(store_path=store_path, data_dir=tmp_path, redact_reports=True)
    advisor = Advisor(settings, knowledge=knowledge, store=store, checkpointer=None)
    assessed = advisor.assess(BRIEF, name="claims")
    assert "[EMAIL]" in assessed.model_dump_json() and "jane.doe" not in assessed.model_dump_json()

    session = advisor.start_interview(BRIEF, thread_id="redacted-1")
    assert "jane.doe" not in session.preview().model_dump_json()
    report = session.finish()
    assert "jane.doe" not in report.model_dump_json()
    assert session.report is not None and "jane.doe" not in session.report.model_dump_json()
    # What the audit log vouches for is the report as handed out, so --verify works on a shared copy.
    hashes = {r.output_sha256 for r in read_audit(settings.audit_path)}
    assert report_sha256(assessed) in hashes and report_sha256(report) in hashes


@pytest.mark.slow
def test_cli_redact_flag_on_assess_and_verify_of_the_redacted_file(store_path: Path, tmp_path: Path) -> None:
    brief = tmp_path / "claims.md"
    brief.write_text(BRIEF)
    out = tmp_path / "claims.json"
    result = run_cli(["assess", str(brief), "--format", "json", "--redact", "--out", str(out)], store_path, tmp_path)
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert not any(p in text for p in PERSONAL) and "[PHONE]" in text
    assert "shown redacted (1 email, 1 phone number)" in result.stderr
    assert json.loads(text)["provenance"]["redacted"] is True
    verify = run_cli(["audit", "--verify", str(out)], store_path, tmp_path)
    assert verify.returncode == 0 and "on record" in verify.stdout

    plain = run_cli(["assess", str(brief), "--format", "md"], store_path, tmp_path)
    assert plain.returncode == 0 and "jane.doe@example.com" in plain.stdout


@pytest.mark.slow
def test_cli_batch_redact_writes_redacted_reports_and_portfolio(store_path: Path, tmp_path: Path) -> None:
    brief = tmp_path / "briefs" / "claims.md"
    brief.parent.mkdir()
    brief.write_text(BRIEF)
    out = tmp_path / "out"
    result = run_cli(["batch", str(brief.parent), "--out", str(out), "--redact"], store_path, tmp_path)
    assert result.returncode == 0, result.stderr
    written = [p for p in out.iterdir() if p.is_file()]
    assert {p.name for p in written} >= {"claims.json", "claims.md", "portfolio.html", "portfolio.csv"}
    for path in written:
        assert not any(p in path.read_text() for p in PERSONAL), path.name


@pytest.mark.slow
def test_batch_reassesses_when_redaction_is_switched_on(store_path: Path, tmp_path: Path) -> None:
    brief = tmp_path / "briefs" / "claims.md"
    brief.parent.mkdir()
    brief.write_text(BRIEF)
    out = tmp_path / "out"
    first = run_cli(["batch", str(brief.parent), "--out", str(out), "-f", "json"], store_path, tmp_path)
    assert first.returncode == 0 and "1 assessed" in first.stdout
    assert "jane.doe@example.com" in (out / "claims.json").read_text()
    # The kept report has the team's words: it must not be reused as the redacted one.
    second = run_cli(["batch", str(brief.parent), "--out", str(out), "-f", "json", "--redact"], store_path, tmp_path)
    assert second.returncode == 0 and "1 assessed" in second.stdout
    assert "jane.doe" not in (out / "claims.json").read_text()
    assert Report.model_validate_json((out / "claims.json").read_text()).provenance.redacted
