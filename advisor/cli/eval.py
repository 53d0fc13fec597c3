"""`advisor eval`: the advisor's own quality on the labelled briefs, compared with a baseline if given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from advisor.cli.common import CliError, make_advisor, make_settings
from advisor.cli.progress import progress_bar
from advisor.domain.areas import AREA_IDS
from advisor.evaluation.compare import BaselineError, MetricChange, compare, load_baseline
from advisor.evaluation.dataset import load_dataset
from advisor.evaluation.html import eval_html
from advisor.evaluation.runner import DEFAULT_DATASET
from advisor.evaluation.suite import SPLIT_CHOICES, SPLITS, BriefResult, run_suite
from advisor.portfolio.files import write_atomically

_TABLE_METRICS = (
    ("briefs", "briefs"),
    ("verdict_accuracy", "verdict accuracy"),
    ("area_precision", "area precision"),
    ("area_recall", "area recall"),
    ("area_f1", "area F1"),
    ("severity_agreement", "severity agreement"),
    ("must_not_flag_rated_high", "handled areas rated high"),
    ("key_action_coverage", "key-action coverage"),
    ("plan_consistency", "plan consistency"),
    ("determinism", "determinism"),
    ("seconds_per_brief", "seconds per brief (mean)"),
    ("seconds_p95", "seconds per brief (p95)"),
)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _print_tables(console: Console, splits: dict[str, dict[str, Any]]) -> None:
    table = Table(title="Evaluation")
    table.add_column("metric")
    for name in splits:
        table.add_column(name, justify="right")
    for key, label in _TABLE_METRICS:
        table.add_row(label, *[_cell(figures.get(key)) for figures in splits.values()])
    console.print(table)
    areas = Table(title="Per-area F1")
    areas.add_column("area")
    for name in splits:
        areas.add_column(name, justify="right")
    for area in AREA_IDS:
        areas.add_row(area, *[_cell(figures["per_area"][area]["f1"]) for figures in splits.values()])
    console.print(areas)


def _print_changes(console: Console, changes: list[MetricChange]) -> None:
    moved = [c for c in changes if c.direction != "unchanged"]
    improved = sum(c.direction == "improved" for c in moved)
    regressed = len(moved) - improved
    unchanged = len(changes) - len(moved)
    console.print(f"Against the baseline: {improved} improved, {regressed} regressed, {unchanged} unchanged")
    for c in sorted(moved, key=lambda c: (c.direction, c.split, c.metric)):
        console.print(f"  {c.direction}: {c.metric} ({c.split}) {c.baseline:g} -> {c.current:g}", highlight=False)


def eval_command(
    split: Annotated[str, typer.Option(help="dev, heldout, or all (both splits and their union).")] = "all",
    dataset: Annotated[Path, typer.Option(help="Folder with dev/ and heldout/ labelled briefs.")] = DEFAULT_DATASET,
    report: Annotated[Path | None, typer.Option(help="Write an HTML report with charts here.")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the results as JSON here.")] = None,
    baseline: Annotated[Path | None, typer.Option(help="A saved --json result to compare with.")] = None,
    fail_on_regression: Annotated[
        bool, typer.Option("--fail-on-regression", help="Exit 1 when any metric regressed against the baseline.")
    ] = False,
    determinism: Annotated[
        bool, typer.Option("--determinism/--no-determinism", help="Assess each brief twice and compare the JSON.")
    ] = True,
    store: Annotated[Path | None, typer.Option(help="Knowledge store folder (default: user data dir).")] = None,
    engine: Annotated[str | None, typer.Option(help="offline (default) or llm (ADVISOR_LLM_* settings).")] = None,
) -> None:
    """Score the advisor on labelled briefs: verdicts, areas, key actions, plan consistency, determinism, time."""
    if split not in SPLIT_CHOICES:
        raise CliError(f"unknown split '{split}': choose one of {', '.join(SPLIT_CHOICES)}", 2)
    base = None
    if baseline is not None:
        try:
            base = load_baseline(baseline)
        except BaselineError as exc:
            raise CliError(str(exc), 2) from exc
    try:
        samples = load_dataset(dataset, SPLITS if split == "all" else (split,))
    except (OSError, yaml.YAMLError, ValidationError, KeyError, TypeError) as exc:
        raise CliError(f"{dataset}: cannot load the dataset ({' '.join(str(exc).split())[:200]})", 2) from exc
    if not samples:
        folders = "dev/ and heldout/" if split == "all" else f"{split}/"
        raise CliError(
            f"{dataset}: no labelled briefs for split '{split}' (expected NAME.md + NAME.yaml in {folders})", 2
        )
    advisor = make_advisor(make_settings(store_path=store, engine=engine))
    with progress_bar(len(samples), "Evaluating") as bar:

        def done(result: BriefResult) -> None:
            bar.advance(result.sample.id)

        result = run_suite(advisor, dataset, split, determinism, on_done=done, samples=samples)
    console = Console()
    _print_tables(console, result["splits"])
    changes = compare(base, result["splits"]) if base is not None else None
    if changes is not None:
        result["baseline"] = {
            "file": str(baseline),
            "changes": [c.__dict__ for c in changes if c.direction != "unchanged"],
        }
        _print_changes(console, changes)
    if json_out is not None:
        write_atomically(json_out, json.dumps(result, indent=2) + "\n")
        typer.echo(f"advisor: wrote {json_out}", err=True)
    if report is not None:
        write_atomically(report, eval_html(result, changes))
        typer.echo(f"advisor: wrote {report}", err=True)
    if fail_on_regression and changes and any(c.direction == "regressed" for c in changes):
        # Not typer.Exit: main() runs the app with standalone_mode=False, where click returns that code.
        raise SystemExit(1)
