"""The `advisor` command as a user runs it: real subprocesses, the real store, exit statuses, stderr."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.support.cli import run_cli

pytestmark = pytest.mark.slow


def run(
    args: list[str], store_path: Path, tmp_path: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    return run_cli(args, store_path, tmp_path, timeout=120, stdin=stdin.decode() if stdin is not None else None)


def test_assess_json_follows_the_contract_and_is_deterministic(store_path: Path, tmp_path: Path) -> None:
    first = run(["assess", str(EXAMPLES / "retail-churn.md"), "--format", "json"], store_path, tmp_path)
    second = run(["assess", str(EXAMPLES / "retail-churn.md"), "--format", "json"], store_path, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    report = json.loads(first.stdout)
    assert report["verdict"] in {"not_ready", "ready_with_conditions", "ready"}
    assert len(report["risks"]) == 10
    for risk in report["risks"]:
        assert {"area", "severity", "status", "confidence", "evidence", "knowledge"} <= set(risk)
        for item in risk["evidence"]:
            assert {"quote", "source"} <= set(item)
    assert {"actions", "cost", "timeline"} <= set(report["plan"])
    for action in report["plan"]["actions"]:
        assert {"id", "title", "area", "roles", "effort", "cost", "phase", "depends_on"} <= set(action)
    assert {"engine", "model", "knowledge_version", "advisor_version"} <= set(report["provenance"])
    assert isinstance(report["open_questions"], list)


def test_markdown_and_html_reports(store_path: Path, tmp_path: Path) -> None:
    md = run(["assess", str(EXAMPLES / "bank-rag-assistant.md")], store_path, tmp_path)
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# POC readiness: bank-rag-assistant")
    assert "## Scorecard" in md.stdout and "## Remediation plan" in md.stdout
    out = tmp_path / "report.html"
    html = run(["assess", str(EXAMPLES / "bank-rag-assistant.md"), "--format", "html", "--out", str(out)],
               store_path, tmp_path)  # fmt: skip
    assert html.returncode == 0, html.stderr
    page = out.read_text()
    assert page.count("<svg") == 2 and "http://" not in page.replace("http://www.w3.org/2000/svg", "")


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "empty"), (b"\x00\x01\x02binary\x00", "binary"), (b"caf\xe9 au lait model", "not UTF-8")],
)
def test_bad_files_exit_2_with_one_line(store_path: Path, tmp_path: Path, content: bytes, expected: str) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(content)
    result = run(["assess", str(bad)], store_path, tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_missing_and_oversized_briefs(store_path: Path, tmp_path: Path) -> None:
    missing = run(["assess", str(tmp_path / "nope.md")], store_path, tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    big = tmp_path / "big.md"
    big.write_text("We built a model for churn. " * 200)
    over = run(["assess", str(big), "--max-bytes", "1000"], store_path, tmp_path)
    assert over.returncode == 2 and "limit" in over.stderr


def test_unknown_format_is_bad_input(store_path: Path, tmp_path: Path) -> None:
    result = run(["assess", str(EXAMPLES / "retail-churn.md"), "--format", "pdf"], store_path, tmp_path)
    assert result.returncode == 2 and "unknown format" in result.stderr


def test_stdin_brief(store_path: Path, tmp_path: Path) -> None:
    text = b"We have no monitoring and nobody owns the model after launch. The API key is in the notebook."
    result = run(["assess", "-", "--format", "json"], store_path, tmp_path, stdin=text)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["verdict"] == "not_ready"


def test_other_language_says_what_was_understood(store_path: Path, tmp_path: Path) -> None:
    brief = tmp_path / "fr.md"
    brief.write_text(
        "Nous avons construit un modèle de prévision de la demande pour nos magasins. Les données viennent de "
        "trois systèmes différents et ont été nettoyées à la main. Personne n'est responsable du modèle."
    )
    result = run(["assess", str(brief), "--format", "json"], store_path, tmp_path)
    assert result.returncode == 0
    assert "English" in result.stderr
    report = json.loads(result.stdout)
    assert any("English" in n for n in report["notices"])
    assert sum(r["status"] == "unknown" for r in report["risks"]) >= 8


def test_schema_command_prints_the_versioned_contract(store_path: Path, tmp_path: Path) -> None:
    result = run(["schema"], store_path, tmp_path)
    schema = json.loads(result.stdout)
    assert schema["version"] == "1.0"
    assert {"verdict", "risks", "open_questions", "plan", "provenance"} <= set(schema["properties"])


def test_kb_search_add_stats(store_path: Path, tmp_path: Path) -> None:
    found = run(["kb", "search", "model drift monitoring"], store_path, tmp_path)
    assert found.returncode == 0 and "operations" in found.stdout
    own = tmp_path / "store"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "policy.md").write_text("Every production model needs a named business owner and a rollback runbook.")
    (docs / "broken.md").write_bytes(b"\xff\xfe\x00")
    added = run(["kb", "add", str(docs), "--store", str(own)], store_path, tmp_path)
    assert added.returncode == 0
    assert "1 documents added, 1 skipped" in added.stdout
    stats = json.loads(run(["kb", "stats", "--store", str(own)], store_path, tmp_path).stdout)
    assert stats["user_documents"] == 1
    hits = run(["kb", "search", "rollback runbook owner", "--store", str(own)], store_path, tmp_path)
    assert "policy.md" in hits.stdout
