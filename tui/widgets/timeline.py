"""The plan's phases and actions as a text Gantt chart by week, sized to the terminal."""

from __future__ import annotations

import math

from rich.text import Text
from textual.widgets import Static

from advisor.domain.plan import Plan

LABEL = 26
"""Fewest columns for the row labels (phase names, action titles); wider terminals get wider labels."""
MIN_BARS = 20


def _label(text: str, width: int) -> str:
    return text if len(text) <= width - 1 else text[: width - 2] + "…"


def gantt(plan: Plan, width: int = 78) -> Text:
    """One row per phase (solid) and per action (its weeks, critical ones marked), over a week ruler.

    The weeks are scaled to the columns left after the labels, so the chart fits any width from 50 up.
    """
    out = Text(no_wrap=True, overflow="crop")
    spans = [(a.start_week, a.end_week) for a in plan.actions] + [
        (p.start_week, p.end_week) for p in plan.timeline.phases
    ]
    if not spans:
        out.append("No actions to schedule.")
        return out
    weeks = max(1.0, max(end for _, end in spans))
    label = max(LABEL, min(44, int(width * 0.4)))
    bars = max(MIN_BARS, width - label)
    per_col = weeks / bars

    def cols(start: float, end: float) -> tuple[int, int]:
        first = min(bars - 1, int(start / per_col))
        last = max(first + 1, min(bars, math.ceil(end / per_col)))
        return first, last

    step = max(1, math.ceil(8 * per_col))  # a ruler mark every 8 columns or more, on a whole week
    ruler = [" "] * (bars + 6)
    for week in range(0, int(weeks) + 1, step):
        col = int(week / per_col)
        for i, ch in enumerate(str(week)):
            if col + i < len(ruler):
                ruler[col + i] = ch
    out.append(f"{'week':<{label}}", style="bold")
    out.append("".join(ruler).rstrip() + "\n", style="dim")
    by_id = {a.id: a for a in plan.actions}
    for phase in plan.timeline.phases:
        first, last = cols(phase.start_week, phase.end_week)
        name = f"{phase.phase.capitalize()} (weeks {phase.start_week:.0f}–{phase.end_week:.0f})"
        out.append(f"{_label(name, label):<{label}}", style="bold")
        out.append(" " * first + "█" * (last - first) + "\n", style="bold")
        for action_id in phase.actions:
            action = by_id.get(action_id)
            if action is None:
                continue
            first, last = cols(action.start_week, action.end_week)
            mark = "▓" if action.critical else "░"
            out.append(f"{_label('  ' + action.title, label):<{label}}")
            out.append(" " * first + mark * (last - first) + "\n", style="bold" if action.critical else "")
    tl = plan.timeline
    legend = f"▓ critical · ░ other · {tl.weeks_p50:g} weeks P50, {tl.weeks_p90:g} P90, {tl.capacity_fte:g} people"
    out.append(legend, style="dim")
    return out


class TimelineChart(Static):
    """The Gantt chart of a plan, redrawn to the widget's width."""

    def __init__(self, plan: Plan, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plan = plan

    def show(self, plan: Plan) -> None:
        """Chart this plan instead."""
        self.plan = plan
        self.refresh(layout=True)

    def render(self) -> Text:
        """The chart at the current width (the scrollbar and padding already taken off)."""
        return gantt(self.plan, max(50, self.content_size.width or 78))
