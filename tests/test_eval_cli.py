"""`advisor eval` on a tiny labelled dataset, and the baseline comparison under it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from advisor.evaluation.compare import BaselineError, compare, load_baseline
from tests.support.cli import run_cli

BRIEFS = {
    "dev/blocked": (
        "We built a pricing model in notebooks. The API key is pasted in the notebook. There is no monitoring at "
        "all and nobody owns the model after launch. Only one analyst maintains it.",
        {"verdict": "not_ready", "risks": {"security": "high", "operations": "high", "governance": "high"},
         "themes": ["secrets management", "drift monitoring and alerting", "named owner after launch"]},
    ),
    "dev/handled": (
        "The fraud model has run in production for a year. Drift monitoring pages the on-call ML engineer, "
        "retraining is automated, and the head of fraud operations owns the model and signs off every change.",
        {"verdict": "ready", "risks": {}, "must_not_flag": ["operations", "governance"], "themes": []},
    ),
    "heldout/rushed": (
        "Our support chatbot demo went well and the sponsor told the board it goes live in three weeks. "
        "Customer emails with personal data are sent to the vendor API and no DPIA has been done.",
        {"verdict": "not_ready", "risks": {"expectations": "high", "security": "high"},
         "themes": ["timeline re-baseline with the sponsor", "DPIA completion"]},
    ),
}  # fmt: skip


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    root = tmp_path / "dataset"
    for key, (text, labels) in BRIEFS.items():
        split, name = key.split("/")
        (root / split).mkdir(parents=True, exist_ok=True)
        (root / split / f"{name}.md").write_text(text)
        (root / split / f"{name}.yaml").write_text(yaml.safe_dump({"id": name, **labels}))
    return root


# ---------------------------------------------------------------- baseline comparison (no store)


def test_compare_names_what_improved_and_what_regressed() -> None:
    base = {"dev": {"verdict_accuracy": 0.8, "area_recall": 0.4, "must_not_flag_rated_high": 0, "per_area": {}}}
    now = {"dev": {"verdict_accuracy": 0.7, "area_recall": 0.5, "must_not_flag_rated_high": 0, "per_area": {}}}
    moved = {(c.metric, c.direction) for c in compare(base, now)}
    assert moved == {
        ("verdict_accuracy", "regressed"),
        ("area_recall", "improved"),
        ("must_not_flag_rated_high", "unchanged"),
    }


def test_fewer_violations_is_an_improvement_and_small_timing_noise_is_not_a_change() -> None:
    base = {"all": {"must_not_flag_rated_high": 3, "seconds_per_brief": 0.20, "per_area": {"data": {"f1": 0.5}}}}
    now = {"all": {"must_not_flag_rated_high": 1, "seconds_per_brief": 0.23, "per_area": {"data": {"f1": 0.4}}}}
    moved = {(c.metric, c.direction) for c in compare(base, now)}
    assert moved == {
        ("must_not_flag_rated_high", "improved"), ("seconds_per_brief", "unchanged"), ("f1.data", "regressed")
    }  # fmt: skip


def test_a_file_that_is_not_an_eval_result_is_refused_in_one_line(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text('{"verdict": "ready"}')
    with pytest.raises(BaselineError, match="not an evaluation result"):
        load_baseline(report)
    with pytest.raises(BaselineError, match="no such baseline file"):
        load_baseline(tmp_path / "missing.json")


# ---------------------------------------------------------------- the command


@pytest.mark.slow
def test_eval_writes_metrics_html_and_flags_a_regression_against_the_baseline(
    dataset: Path, store_path: Path, tmp_path: Path
) -> None:
    out_json, out_html = tmp_path / "eval.json", tmp_path / "eval.html"
    result = run_cli(
        ["eval", "--dataset", str(dataset), "--json", str(out_json), "--report", str(out_html)], store_path, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "verdict accuracy" in result.stdout and "Per-area F1" in result.stdout
    figures = json.loads(out_json.read_text())
    assert set(figures["splits"]) == {"dev", "heldout", "all"}
    everything = figures["splits"]["all"]
    assert everything["briefs"] == 3 and figures["splits"]["dev"]["briefs"] == 2
    for metric in (
        "verdict_accuracy", "area_precision", "area_recall", "area_f1", "severity_agreement",
        "must_not_flag_rated_high", "key_action_coverage", "plan_consistency", "determinism", "seconds_per_brief",
    ):  # fmt: skip
        assert metric in everything, metric
    assert everything["themes_total"] == 5 and everything["determinism"] == 1.0
    assert everything["plan_consistency"] == 1.0
    assert sum(everything["confusion"].values()) == 3
    assert {b["id"] for b in figures["briefs"]} == {"blocked", "handled", "rushed"}
    page = out_html.read_text()
    assert page.count("<svg") == 1 + 3  # per-area F1 bars + one confusion matrix per split
    assert "<script" not in page

    baseline = json.loads(out_json.read_text())
    baseline["splits"]["all"]["verdict_accuracy"] = everything["verdict_accuracy"] + 0.5
    (tmp_path / "baseline.json").write_text(json.dumps(baseline))
    compared = run_cli(
        ["eval", "--dataset", str(dataset), "--split", "all", "--baseline", str(tmp_path / "baseline.json"),
         "--no-determinism", "--fail-on-regression"],
        store_path, tmp_path,
    )  # fmt: skip
    assert compared.returncode == 1
    assert "regressed: verdict_accuracy (all)" in compared.stdout
    assert "improved: verdict_accuracy" not in compared.stdout


@pytest.mark.slow
def test_eval_bad_input_exits_2_in_one_line(dataset: Path, store_path: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    none = run_cli(["eval", "--dataset", str(empty)], store_path, tmp_path)
    assert none.returncode == 2 and "no labelled briefs" in none.stderr
    bad_split = run_cli(["eval", "--dataset", str(dataset), "--split", "test"], store_path, tmp_path)
    assert bad_split.returncode == 2 and "unknown split" in bad_split.stderr
    not_json = tmp_path / "base.json"
    not_json.write_text("not json")
    bad_base = run_cli(["eval", "--dataset", str(dataset), "--baseline", str(not_json)], store_path, tmp_path)
    assert bad_base.returncode == 2 and len(bad_base.stderr.strip().splitlines()) == 1
