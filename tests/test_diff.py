"""`advisor diff`: what changed between two assessments of one project, and refusing what cannot be compared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.api import Advisor
from advisor.domain.report import Report
from advisor.domain.risk import AreaRisk
from advisor.portfolio.diff import diff_markdown, diff_reports, risk_change
from tests.support.cli import run_cli

BEFORE = (
    "We built a demand forecast in notebooks. There is no monitoring at all and nobody would notice if accuracy "
    "dropped. The database password is pasted in the notebook. Only one analyst maintains it."
)
AFTER = (
    "We built a demand forecast. Drift monitoring with alerts to the on-call rota is live and retraining is "
    "automated. Credentials are held in the company vault and rotated monthly. Two ML engineers support it. "
    "The sponsor told the board it will be live in four weeks."
)


@pytest.fixture(scope="module")
def milestones(advisor: Advisor) -> tuple[Report, Report]:
    return advisor.assess(BEFORE, name="forecast"), advisor.assess(AFTER, name="forecast")


def risk(severity: str, status: str = "evidenced") -> AreaRisk:
    return AreaRisk.model_validate(
        {"area": "data", "title": "Data", "severity": severity, "status": status, "confidence": 0.8, "rationale": "-"}
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (risk("high"), risk("none"), ("closed", "high", "none")),
        (risk("medium"), risk("none", "unknown"), ("closed", "medium", "unknown")),
        (risk("none", "unknown"), risk("high"), ("opened", "unknown", "high")),
        (risk("medium"), risk("high"), ("raised", "medium", "high")),
        (risk("high"), risk("medium"), ("lowered", "high", "medium")),
    ],
)
def test_each_kind_of_risk_move_is_named(old: AreaRisk, new: AreaRisk, expected: tuple[str, str, str]) -> None:
    change = risk_change(old, new)
    assert change is not None and (change.change, change.old, change.new) == expected


def test_moves_below_medium_are_not_changes() -> None:
    assert risk_change(risk("low"), risk("none")) is None
    assert risk_change(risk("high"), risk("high")) is None


def test_a_milestone_diff_matches_the_two_reports(milestones: tuple[Report, Report]) -> None:
    old, new = milestones
    diff = diff_reports(old, new)
    flagged_before = {r.area for r in old.risks if r.severity in ("high", "medium")}
    flagged_after = {r.area for r in new.risks if r.severity in ("high", "medium")}
    assert {c.area for c in diff.closed} == flagged_before - flagged_after
    assert {c.area for c in diff.opened} == flagged_after - flagged_before
    assert "operations" in {c.area for c in diff.closed} and "expectations" in {c.area for c in diff.opened}
    old_ids, new_ids = {a.id for a in old.plan.actions}, {a.id for a in new.plan.actions}
    assert {a.id for a in diff.actions_added} == new_ids - old_ids
    assert {a.id for a in diff.actions_removed} == old_ids - new_ids
    assert diff.build_p50.delta == pytest.approx(new.plan.cost.build.p50 - old.plan.cost.build.p50)
    assert diff.timeline_weeks_p50.new == new.plan.timeline.weeks_p50
    assert not diff.same_text


def test_a_report_diffed_with_itself_shows_no_change(milestones: tuple[Report, Report]) -> None:
    old, _ = milestones
    diff = diff_reports(old, old)
    assert diff.same_text and diff.verdict_direction == "unchanged"
    assert not (diff.closed or diff.opened or diff.changed or diff.actions_added or diff.actions_removed)
    assert diff.build_p50.delta == 0
    text = diff_markdown(diff)
    assert "No risk changed severity." in text and "The same actions as before." in text


@pytest.mark.slow
def test_diff_command_markdown_json_and_bad_input(
    milestones: tuple[Report, Report], store_path: Path, tmp_path: Path
) -> None:
    old, new = milestones
    old_file, new_file = tmp_path / "old.json", tmp_path / "new.json"
    old_file.write_text(old.model_dump_json(indent=2))
    new_file.write_text(new.model_dump_json(indent=2))

    md = run_cli(["diff", str(old_file), str(new_file)], store_path, tmp_path)
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# What changed: forecast")
    assert "Closed (" in md.stdout and "| Build cost P50 |" in md.stdout

    as_json = run_cli(["diff", str(old_file), str(new_file), "--format", "json"], store_path, tmp_path)
    assert json.loads(as_json.stdout)["old_verdict"] == old.verdict

    other = tmp_path / "other.json"
    other.write_text(old.model_copy(update={"brief": "payroll-bot"}).model_dump_json())
    unrelated = run_cli(["diff", str(old_file), str(other)], store_path, tmp_path)
    assert unrelated.returncode == 2 and "different briefs" in unrelated.stderr
    assert run_cli(["diff", str(old_file), str(other), "--force"], store_path, tmp_path).returncode == 0

    not_json = tmp_path / "brief.md"
    not_json.write_text("# just a brief")
    not_report = tmp_path / "portfolio.json"
    not_report.write_text('{"projects": []}')
    for bad, reason in (
        (not_json, "not JSON"),
        (not_report, "not an advisor report"),
        (tmp_path / "gone.json", "no such file"),
    ):
        result = run_cli(["diff", str(bad), str(new_file)], store_path, tmp_path)
        assert result.returncode == 2 and reason in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
