"""The eval scorers on hand-built reports: each rule does what its docstring promises, no store needed."""

from __future__ import annotations

from advisor.api import Advisor
from advisor.domain.areas import AREA_IDS, AREA_TITLES
from advisor.domain.plan import Action, CostSummary, Plan, ThreePoint, Timeline
from advisor.domain.report import Provenance, Report
from advisor.domain.risk import AreaRisk
from advisor.evaluation.dataset import Sample
from advisor.evaluation.scorers import (
    Scores,
    covering_action,
    identical_reports,
    plan_problems,
    score_plan,
    score_run,
    theme_coverage,
    timing_summary,
)


def point(value: float) -> ThreePoint:
    return ThreePoint(low=value, likely=value, high=value, p50=value, p90=value)


def action(
    action_id: str,
    title: str,
    area: str = "operations",
    why: str = "",
    cost: float = 1000.0,
    weeks: tuple[float, float] = (0.0, 2.0),
    depends_on: tuple[str, ...] = (),
) -> Action:
    return Action(
        id=action_id, title=title, area=area, addresses="high", why=why, done_when="done", roles={"ml_engineer": 1.0},
        effort=point(1.0), cost=point(cost), run_cost_per_year=0.0, phase="build", depends_on=list(depends_on),
        start_week=weeks[0], end_week=weeks[1],
    )  # fmt: skip


def report(severities: dict[str, str], actions: list[Action], total: float | None = None) -> Report:
    risks = [
        AreaRisk(
            area=area, title=AREA_TITLES[area], severity=severities.get(area, "none"),
            status="evidenced" if area in severities else "unknown", confidence=0.9, rationale="test",
        )
        for area in AREA_IDS
    ]  # fmt: skip
    build = point(sum(a.cost.p50 for a in actions) if total is None else total)
    cost = CostSummary(
        currency="USD", effort_weeks=point(len(actions)), build=build, run_per_year=0.0, run_share_of_build=0.0,
        run_rule_check="-",
    )  # fmt: skip
    timeline = Timeline(
        weeks_p50=max((a.end_week for a in actions), default=0.0), weeks_p90=0.0, capacity_fte=2.0,
        capacity_source="default", critical_path=[], phases=[], reference_months=(18.0, 36.0), realism="-",
    )  # fmt: skip
    verdict = "not_ready" if "high" in severities.values() else "ready"
    provenance = Provenance(engine="offline", model="m", knowledge_version="k", advisor_version="v", brief_sha256="s")
    return Report(
        brief="hand-built", verdict=verdict, verdict_reason="-", summary="-", risks=risks, open_questions=[],
        plan=Plan(scale="small", scale_reason="-", actions=actions, cost=cost, timeline=timeline),
        provenance=provenance,
    )  # fmt: skip


SECRETS = action("security-secrets", "Move credentials out of code into a secrets manager and rotate them", "security")
PIPELINE = action("data-pipeline", "Build an automated, validated pipeline from the production data sources", "data")
LOAD_TEST = action("scale-load-test", "Load-test the model and its pipeline at production volume", "scalability")
DPIA = action("security-dpia", "Complete a privacy impact assessment (DPIA)", "security")


# ---------------------------------------------------------------- key-action coverage


def test_a_theme_in_the_teams_words_is_covered_by_the_catalog_action_that_does_that_work() -> None:
    assert covering_action("secrets management", [LOAD_TEST, SECRETS]) is SECRETS
    assert covering_action("DPIA completion", [PIPELINE, DPIA]) is DPIA
    assert covering_action("production data pipeline across till systems", [LOAD_TEST, PIPELINE]) is PIPELINE


def test_a_theme_no_action_addresses_is_not_covered() -> None:
    assert covering_action("Pega case integration", [SECRETS, PIPELINE, LOAD_TEST]) is None
    assert covering_action("secrets management", []) is None


def test_words_every_plan_uses_do_not_cover_a_theme_on_their_own() -> None:
    # "production" and "model" are shared, but nothing says this action builds a feature store.
    assert covering_action("production model feature store", [LOAD_TEST]) is None


def test_a_one_word_theme_needs_that_word() -> None:
    assert covering_action("DPIA", [DPIA]) is DPIA
    assert covering_action("DPIA", [SECRETS]) is None


def test_theme_coverage_maps_each_theme_to_an_action_id_or_none() -> None:
    coverage = theme_coverage(["secrets management", "Pega case integration"], [SECRETS])
    assert coverage == {"secrets management": "security-secrets", "Pega case integration": None}


def test_score_plan_counts_covered_themes_and_names_the_missing_ones() -> None:
    sample = Sample(id="s1", split="dev", text="", verdict="not_ready", themes=["secrets management", "ServiceNow"])
    scores = Scores()
    score_plan(sample, report({"security": "high"}, [SECRETS]), scores)
    assert (scores.themes_covered, scores.themes_total) == (1, 2)
    assert scores.key_action_coverage == 0.5
    assert "s1: theme not covered by the plan: ServiceNow" in scores.failures


def test_a_brief_without_themes_does_not_lower_coverage() -> None:
    scores = Scores()
    score_plan(Sample(id="r", split="dev", text="", verdict="ready"), report({}, []), scores)
    assert scores.themes_total == 0 and scores.key_action_coverage == 1.0


# ---------------------------------------------------------------- plan consistency


def test_a_consistent_plan_has_no_problems() -> None:
    first = action("a", "First", "operations", weeks=(0, 2))
    second = action("b", "Second", "operations", weeks=(2, 5), depends_on=("a",))
    assert plan_problems(report({"operations": "high"}, [first, second])) == []


def test_a_high_risk_without_an_action_is_a_problem() -> None:
    problems = plan_problems(report({"operations": "high", "security": "high"}, [action("a", "Monitor", "operations")]))
    assert problems == ["high risk in security has no action"]


def test_a_medium_risk_without_an_action_is_not_a_problem() -> None:
    assert plan_problems(report({"security": "medium"}, [])) == []


def test_totals_that_do_not_add_up_are_a_problem_but_rounding_is_not() -> None:
    actions = [action("a", "A", cost=1000.0), action("b", "B", cost=2000.0)]
    assert plan_problems(report({}, actions, total=3000.4)) == []
    assert plan_problems(report({}, actions, total=3500.0)) == ["action P50 costs sum to 3,000, total says 3,500"]


def test_an_action_starting_before_its_dependency_ends_is_a_problem() -> None:
    first = action("a", "First", weeks=(0, 4))
    early = action("b", "Second", weeks=(3, 6), depends_on=("a",))
    assert plan_problems(report({}, [first, early])) == ["b starts at week 3, before a ends at week 4"]


def test_score_plan_counts_consistent_plans() -> None:
    scores = Scores()
    sample = Sample(id="s", split="dev", text="", verdict="not_ready")
    score_plan(sample, report({"operations": "high"}, [action("a", "A")]), scores)
    score_plan(sample, report({"security": "high"}, []), scores)
    assert (scores.plans_consistent, scores.plans_checked) == (1, 2)
    assert scores.plan_consistency == 0.5
    assert "s: plan: high risk in security has no action" in scores.failures


# ---------------------------------------------------------------- determinism and time


def test_identical_reports_compares_the_full_json() -> None:
    first = report({"operations": "high"}, [action("a", "A")])
    assert identical_reports(first, first.model_copy(deep=True))
    assert not identical_reports(first, first.model_copy(update={"summary": "different"}))


def test_score_run_records_time_and_determinism_only_when_checked() -> None:
    scores = Scores()
    sample = Sample(id="s", split="dev", text="", verdict="ready")
    score_run(sample, 0.2, None, scores)
    assert scores.determinism is None and scores.seconds == [0.2]
    score_run(sample, 0.3, True, scores)
    score_run(sample, 0.4, False, scores)
    assert scores.determinism == 0.5
    assert "s: two runs gave different JSON" in scores.failures


def test_timing_summary_uses_nearest_rank_percentiles() -> None:
    assert timing_summary([0.4, 0.1, 0.3, 0.2]) == {"mean": 0.25, "p50": 0.2, "p95": 0.4, "max": 0.4}
    assert timing_summary([]) == {"mean": 0.0, "p50": 0.0, "p95": 0.0, "max": 0.0}


def test_the_planner_makes_plans_the_consistency_scorer_accepts(advisor: Advisor) -> None:
    made = advisor.assess(
        "Nobody owns the model after launch. The API key is pasted in the notebook. There is no monitoring, "
        "and the sponsor told the board it goes live in six weeks."
    )
    assert made.plan.actions and plan_problems(made) == []
