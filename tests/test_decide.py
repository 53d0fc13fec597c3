import math

import pytest

from advisor.decide.costing import pert, run_rule_check, total
from advisor.decide.schedule import Task, critical_path, schedule
from advisor.decide.scoring import ScoringRules, decide_verdict, score_area, score_risks, timeline_evidence
from advisor.domain.evidence import Evidence, Fact


def ev(area: str, polarity: str = "risk", strength: str = "high", confidence: float = 0.9, n: int = 0) -> Evidence:
    return Evidence(
        area=area, quote=f"quote {area} {polarity} {n}", source=f"brief:x#s{n}", polarity=polarity,
        strength=strength, confidence=confidence,
    )  # fmt: skip


def test_pert_mean_and_p90() -> None:
    point = pert(2, 4, 12)
    assert point.p50 == pytest.approx((2 + 16 + 12) / 6, abs=0.05)
    assert point.p90 == pytest.approx(5 + 1.2816 * 10 / 6, abs=0.05)
    assert point.low <= point.likely <= point.high


def test_total_adds_means_and_variances_not_p90s() -> None:
    points = [pert(2, 4, 12), pert(1, 2, 3), pert(5, 5, 5)]
    summed = total(points)
    assert summed.p50 == pytest.approx(sum(p.p50 for p in points), abs=0.1)
    sd = math.sqrt(sum(((p.high - p.low) / 6) ** 2 for p in points))
    assert summed.p90 == pytest.approx(summed.p50 + 1.2816 * sd, abs=0.1)
    assert summed.p90 < sum(p.p90 for p in points)


@pytest.mark.parametrize(("run", "phrase"), [(5, "below"), (25, "within"), (70, "above")])
def test_run_cost_rule_of_thumb(run: float, phrase: str) -> None:
    share, text = run_rule_check(run, 100)
    assert share == run / 100
    assert phrase in text


def test_schedule_respects_dependencies_and_capacity() -> None:
    tasks = {
        "a": Task("a", 8, "foundation", ()),
        "b": Task("b", 4, "build", ("a",)),
        "c": Task("c", 6, "build", ()),
        "d": Task("d", 2, "launch", ("b", "c")),
        "e": Task("e", 10, "build", ()),
    }
    slots = schedule(tasks, capacity=4)
    for task in tasks.values():
        for dep in task.depends_on:
            assert slots[task.id].start >= slots[dep].end
    events = sorted({s.start for s in slots.values()})
    for t in events:
        in_use = sum(s.staff for s in slots.values() if s.start <= t < s.end)
        assert in_use <= 4
    assert slots["a"].end - slots["a"].start == 4  # 8 person-weeks, two people
    assert critical_path(tasks, 4) == ["a", "b", "d"]


def test_one_person_team_runs_everything_in_sequence() -> None:
    tasks = {"a": Task("a", 3, "build", ()), "b": Task("b", 3, "build", ())}
    slots = schedule(tasks, capacity=1)
    assert sorted((s.start, s.end) for s in slots.values()) == [(0, 3), (3, 6)]


def test_silence_is_unknown_not_a_finding() -> None:
    risk = score_area("data", [], ScoringRules())
    assert (risk.status, risk.severity) == ("unknown", "none")


def test_blocker_evidence_is_high_and_partial_is_medium() -> None:
    assert score_area("skills", [ev("skills")], ScoringRules()).severity == "high"
    assert score_area("skills", [ev("skills", strength="medium")], ScoringRules()).severity == "medium"
    assert score_area("skills", [ev("skills", strength="medium", confidence=0.3)], ScoringRules()).severity == "low"


def test_mitigation_alone_is_none_and_strong_mitigation_lowers_a_step() -> None:
    assert score_area("security", [ev("security", "mitigation")], ScoringRules()).severity == "none"
    mixed = [ev("security", confidence=0.85), *[ev("security", "mitigation", n=i) for i in range(1, 3)]]
    assert score_area("security", mixed, ScoringRules()).severity == "medium"


def test_more_mentions_of_a_mitigated_topic_do_not_raise_severity() -> None:
    many = [ev("operations", "mitigation", n=i) for i in range(6)]
    assert score_area("operations", many, ScoringRules()).severity == "none"


def test_verdict_rules() -> None:
    risks = score_risks([ev("data"), ev("skills", strength="medium")], [])
    assert decide_verdict(risks)[0] == "not_ready"
    risks = score_risks([ev("skills", strength="medium")], [])
    assert decide_verdict(risks)[0] == "ready_with_conditions"
    assert decide_verdict(score_risks([ev("skills", "mitigation")], []))[0] == "ready"
    assert decide_verdict(score_risks([], []))[0] == "ready"


def test_short_stated_timeline_is_expectations_evidence() -> None:
    fact = Fact(kind="timeline_months", value=3.0, quote="Live in 3 months.", source="brief:x#s1")
    found = timeline_evidence([fact])
    assert found[0].area == "expectations" and found[0].polarity == "risk"
    assert "18-36" in found[0].cues[0]
    assert timeline_evidence([fact.model_copy(update={"value": 24.0})]) == []


def test_months_read_as_a_person_writes_them() -> None:
    from advisor.narrative import months

    assert (months(1), months(1.5), months(14), months(0.5)) == ("1 month", "1.5 months", "14 months", "0.5 months")
