"""`advisor batch` and the pieces under it: structured briefs, collection, ranking, the portfolio files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from advisor.api import Advisor
from advisor.intake import BriefError
from advisor.knowledge.loader import KnowledgeBase
from advisor.portfolio.batch import collect_briefs, parse_formats, run_batch
from advisor.portfolio.briefs import read_any_brief
from advisor.portfolio.rows import PortfolioRow, rank_rows
from advisor.portfolio.summary import FailedBrief, build_portfolio, portfolio_csv, portfolio_html
from advisor.settings import Settings
from advisor.store.chroma_store import KnowledgeStore
from tests.conftest import EXAMPLES
from tests.support.cli import run_cli

STRUCTURED_YAML = """\
name: Claims triage assistant
summary: A model that routes incoming motor claims to the right handling team.
data:
  - The POC used a hand-cleaned extract of 20,000 claims.
  - Production claims arrive from three intake systems with different field definitions.
security: Claims contain personal data and medical notes, and no DPIA has been started.
team: One data scientist built it and is the only person who knows the code.
timeline: The sponsor expects it live in three months.
"""

STRUCTURED_JSON = {
    "name": "Invoice matcher",
    "summary": "Matches supplier invoices to purchase orders for the finance team.",
    "operations": ["There is no monitoring and nobody would notice if accuracy dropped."],
    "governance": "Nobody owns the model after the pilot ends.",
}

MARKDOWN = (
    "# Churn model\n\nWe built a churn model in notebooks. The API key is pasted in the notebook and there is "
    "no monitoring at all. Only one analyst maintains it.\n"
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# ---------------------------------------------------------------- structured briefs


def test_a_yaml_brief_becomes_markdown_with_a_heading_per_section(tmp_path: Path) -> None:
    brief = read_any_brief(write(tmp_path / "claims.yaml", STRUCTURED_YAML), 100_000)
    assert brief.name == "claims"
    assert brief.text.startswith("# Claims triage assistant\n\nA model that routes")
    assert "## Data\n\n- The POC used a hand-cleaned extract of 20,000 claims." in brief.text
    assert "## Security and privacy\n\nClaims contain personal data" in brief.text
    assert "## Operations" not in brief.text  # sections left out are not invented


def test_a_json_brief_reads_like_the_same_brief_in_yaml(tmp_path: Path) -> None:
    import yaml

    from_json = read_any_brief(write(tmp_path / "a.json", json.dumps(STRUCTURED_JSON)), 100_000)
    from_yaml = read_any_brief(write(tmp_path / "a.yml", yaml.safe_dump(STRUCTURED_JSON)), 100_000)
    assert from_json.text == from_yaml.text and from_json.sha256 == from_yaml.sha256


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad.yaml", "name: [unclosed\n", "not valid YAML"),
        ("bad.json", '{"name": "x",}', "not valid JSON"),
        ("list.yaml", "- one\n- two\n", "must be a mapping with 'name' and 'summary', not list"),
        ("nosummary.yaml", "name: X\n", "the field 'summary' is required"),
        ("typo.yaml", "name: X\nsummary: Y\nsecuirty: none\n", "unknown field 'secuirty'"),
        ("nested.yaml", "name: X\nsummary: Y\ndata: {a: 1}\n", "field 'data' must be text or a list of texts"),
        ("binary.yaml", b"\x00\x01\x02", "binary"),
    ],
)
def test_a_bad_structured_brief_is_one_line_naming_the_file(
    tmp_path: Path, name: str, content: str | bytes, expected: str
) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(BriefError) as caught:
        read_any_brief(path, 100_000)
    message = str(caught.value)
    assert message.startswith(str(path)) and expected in message
    assert "\n" not in message


# ---------------------------------------------------------------- collecting and naming


def test_collect_finds_briefs_in_a_stable_order_and_skips_what_is_not_a_brief(tmp_path: Path) -> None:
    folder = tmp_path / "briefs"
    for name in ("b.md", "a.yaml", "sub/c.txt", "sub/d.json", "notes.pdf", ".hidden.md", ".git/e.md", "out/f.md"):
        write(folder / name, "text")
    jobs, missing = collect_briefs([folder, tmp_path / "nope.md"], exclude=folder / "out")
    assert [j.path.relative_to(folder).as_posix() for j in jobs] == ["a.yaml", "b.md", "sub/c.txt", "sub/d.json"]
    assert missing == [tmp_path / "nope.md"]


def test_collect_counts_a_file_once_and_gives_repeated_stems_unique_report_names(tmp_path: Path) -> None:
    first = write(tmp_path / "dev" / "churn.md", "x")
    second = write(tmp_path / "heldout" / "churn.md", "x")
    jobs, _ = collect_briefs([tmp_path, first])
    assert [(j.path, j.name) for j in jobs] == [(first, "churn"), (second, "churn-2")]


def test_formats_always_include_json_and_reject_unknown_ones() -> None:
    assert parse_formats("md, html") == ["json", "md", "html"]
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        parse_formats("json,pdf")


# ---------------------------------------------------------------- ranking and the portfolio files


def row(brief: str, verdict: str, highs: int, cost: float, value: float | None = None) -> PortfolioRow:
    return PortfolioRow(
        brief=brief, report=brief, source=f"{brief}.md", verdict=verdict, highs=highs, mediums=1, unknowns=0,
        top_risks=["Data (high)"], severities={"data": "high"}, currency="USD", build_p50=cost, build_p90=cost * 1.1,
        run_per_year=cost / 5, value_per_year=value, timeline_weeks_p50=10, actions=3,
    )  # fmt: skip


def test_ranking_is_verdict_then_high_risks_then_cost_then_value() -> None:
    rows = [
        row("blocked-cheap", "not_ready", 3, 10_000),
        row("one-blocker", "not_ready", 1, 900_000),
        row("conditions", "ready_with_conditions", 0, 500_000),
        row("ready", "ready", 0, 0),
        row("one-blocker-cheaper-valued", "not_ready", 1, 100_000, value=50_000),
        row("one-blocker-cheaper", "not_ready", 1, 100_000),
    ]
    ranked = rank_rows(rows)
    assert [r.brief for r in ranked] == [
        "ready", "conditions", "one-blocker-cheaper-valued", "one-blocker-cheaper", "one-blocker", "blocked-cheap",
    ]  # fmt: skip
    assert [r.rank for r in ranked] == [1, 2, 3, 4, 5, 6]


def test_portfolio_html_escapes_user_text_and_loads_nothing() -> None:
    hostile = row("<script>alert(1)</script>", "not_ready", 1, 1000)
    failed = [FailedBrief(source="x.md", error="x.md: <img src=x onerror=alert(1)>")]
    page = portfolio_html(build_portfolio([hostile], failed), ".html")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<svg") == 2  # the readiness-vs-cost chart and the heatmap
    assert "http" not in page.replace("http://www.w3.org/2000/svg", "")


def test_portfolio_csv_neutralises_spreadsheet_formulas() -> None:
    text = portfolio_csv(rank_rows([row("=HYPERLINK(evil)", "ready", 0, 1234.5)]))
    record = next(csv.DictReader(text.splitlines()))
    assert record["brief"] == "'=HYPERLINK(evil)"
    assert record["build_cost_p50"] == "1234.5" and record["value_per_year"] == ""


# ---------------------------------------------------------------- running a batch


def test_two_jobs_share_one_advisor_and_write_the_same_reports_as_one(advisor: Advisor, tmp_path: Path) -> None:
    briefs = [EXAMPLES / "retail-churn.md", EXAMPLES / "bank-rag-assistant.md", EXAMPLES / "logistics-route-eta.md"]
    jobs, _ = collect_briefs(briefs)
    serial = run_batch(advisor, jobs, tmp_path / "one", workers=1)
    threaded = run_batch(advisor, jobs, tmp_path / "two", workers=2)
    assert [o.status for o in serial] == [o.status for o in threaded] == ["assessed"] * 3
    for job in jobs:
        assert (tmp_path / "one" / f"{job.name}.json").read_bytes() == (
            tmp_path / "two" / f"{job.name}.json"
        ).read_bytes()


def test_worker_processes_write_the_same_reports_as_one_advisor(advisor: Advisor, tmp_path: Path) -> None:
    briefs = [EXAMPLES / "retail-churn.md", EXAMPLES / "bank-rag-assistant.md", EXAMPLES / "logistics-route-eta.md"]
    jobs, _ = collect_briefs(briefs)
    log = tmp_path / "audit.jsonl"
    # As the CLI builds it: the batch command records reports itself, so no Advisor of the batch may.
    advisor = Advisor(advisor.settings.model_copy(update={"audit_log": log}), knowledge=advisor.knowledge,
                      store=advisor.store, reasoner=advisor.reasoner, audit_as=None)  # fmt: skip
    serial = run_batch(advisor, jobs, tmp_path / "one", workers=1)
    seen: list[str] = []
    pooled = run_batch(
        advisor, jobs, tmp_path / "pool", workers=2, processes=True, on_done=lambda o: seen.append(o.job.name)
    )
    assert [o.status for o in pooled] == [o.status for o in serial] == ["assessed"] * 3
    assert sorted(seen) == sorted(job.name for job in jobs)
    for job in jobs:
        assert (tmp_path / "one" / f"{job.name}.json").read_bytes() == (
            tmp_path / "pool" / f"{job.name}.json"
        ).read_bytes()
    assert not log.exists(), "the workers recorded reports the batch command records itself"


@pytest.mark.slow
def test_batch_reports_skips_bad_files_resumes_and_forces(store_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "briefs"
    write(folder / "alpha.md", MARKDOWN)
    write(folder / "beta.yaml", STRUCTURED_YAML)
    write(folder / "gamma.json", json.dumps(STRUCTURED_JSON))
    write(folder / "scan.md", b"\x00\x01\x02binary\x00")
    write(folder / "broken.yaml", "name: [unclosed\n")
    out = tmp_path / "reports"
    args = ["batch", str(folder), "--out", str(out), "--jobs", "2"]

    first = run_cli(args, store_path, tmp_path)
    assert first.returncode == 1, first.stderr
    assert first.stdout.strip() == "3 assessed, 0 skipped, 2 failed"
    skipped = [line for line in first.stderr.splitlines() if line.startswith("advisor: skipped")]
    assert len(skipped) == 2
    assert any("scan.md: looks like a binary file" in line for line in skipped)
    assert any("broken.yaml: not valid YAML" in line for line in skipped)
    assert "Traceback" not in first.stderr
    for name in ("alpha", "beta", "gamma"):
        report = json.loads((out / f"{name}.json").read_text())
        assert report["brief"] == name and report["verdict"] == "not_ready"
        assert (out / f"{name}.md").read_text().startswith(f"# POC readiness: {name}")
        assert (out / f"{name}.html").read_text().startswith("<!doctype html>")
    portfolio = json.loads((out / "portfolio.json").read_text())
    assert sorted(p["brief"] for p in portfolio["projects"]) == ["alpha", "beta", "gamma"]
    assert [p["rank"] for p in portfolio["projects"]] == [1, 2, 3]
    assert sorted(f["source"] for f in portfolio["failed"]) == [str(folder / "broken.yaml"), str(folder / "scan.md")]
    with (out / "portfolio.csv").open() as handle:
        assert [r["brief"] for r in csv.DictReader(handle)] == [p["brief"] for p in portfolio["projects"]]
    assert (out / "portfolio.html").read_text().count("<svg") == 2

    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    again = run_cli(args, store_path, tmp_path)
    assert again.returncode == 1 and again.stdout.strip() == "0 assessed, 3 skipped, 2 failed"
    assert all(
        out.joinpath(name).stat().st_mtime_ns == stamp for name, stamp in stamps.items() if name != "portfolio.json"
    )

    write(folder / "gamma.json", json.dumps({**STRUCTURED_JSON, "team": "Two ML engineers support it."}))
    edited = run_cli(args, store_path, tmp_path)
    assert edited.stdout.strip() == "1 assessed, 2 skipped, 2 failed"

    forced = run_cli([*args, "--force"], store_path, tmp_path)
    assert forced.stdout.strip() == "3 assessed, 0 skipped, 2 failed"

    clean = run_cli(
        ["batch", str(folder / "alpha.md"), str(folder / "beta.yaml"), "--out", str(out)], store_path, tmp_path
    )
    assert clean.returncode == 0 and clean.stdout.strip() == "0 assessed, 2 skipped, 0 failed"


def test_a_rerun_keeps_only_reports_this_advisor_would_make_again(
    advisor: Advisor, knowledge: KnowledgeBase, store: KnowledgeStore, store_path: Path, tmp_path: Path
) -> None:
    briefs = tmp_path / "briefs"
    for name in ("a", "b", "c", "d"):
        write(briefs / f"{name}.md", MARKDOWN + f" Project {name}.")
    jobs, _ = collect_briefs([briefs])
    out = tmp_path / "out"

    def statuses(by: Advisor) -> dict[str, str]:
        return {o.job.name: o.status for o in run_batch(by, jobs, out, formats=["json"], workers=1)}

    assert set(statuses(advisor).values()) == {"assessed"}
    assert set(statuses(advisor).values()) == {"skipped"}

    def made_differently(name: str, **provenance: object) -> None:
        path = out / f"{name}.json"
        report = json.loads(path.read_text())
        report["provenance"].update(provenance)
        path.write_text(json.dumps(report))

    made_differently("a", engine="llm", model="some-llm")  # a batch run earlier with --engine llm
    made_differently("b", knowledge_version="0123456789abcdef")  # other knowledge or rates
    made_differently("c", fallbacks=["extract"])  # the LLM was down for one of its steps
    assert statuses(advisor) == {"a": "assessed", "b": "assessed", "c": "assessed", "d": "skipped"}

    staffed = Advisor(Settings(store_path=store_path, capacity_fte=6), knowledge=knowledge, store=store)
    assert set(statuses(staffed).values()) == {"assessed"}  # --capacity changes every schedule
    assert json.loads((out / "a.json").read_text())["plan"]["timeline"]["capacity_fte"] == 6
    assert set(statuses(staffed).values()) == {"skipped"}
    assert set(statuses(advisor).values()) == {"assessed"}  # and back to the default


@pytest.mark.slow
def test_batch_usage_errors_exit_2(store_path: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run_cli(["batch", str(empty), "--out", str(tmp_path / "o")], store_path, tmp_path)
    assert nothing.returncode == 2 and "no briefs found" in nothing.stderr
    bad_format = run_cli(
        ["batch", str(EXAMPLES), "--out", str(tmp_path / "o"), "--format", "pdf"], store_path, tmp_path
    )
    assert bad_format.returncode == 2 and "unknown format 'pdf'" in bad_format.stderr
