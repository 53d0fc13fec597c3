"""Scheduling actions by dependencies and team capacity; the critical path and phase spans."""

from __future__ import annotations

from dataclasses import dataclass

PHASE_ORDER = {"foundation": 0, "build": 1, "launch": 2}
MAX_STAFF_PER_ACTION = 2.0
"""Adding people to one action beyond two rarely shortens it (an assumption, stated in the report)."""


@dataclass(frozen=True)
class Task:
    """What the scheduler needs of an action."""

    id: str
    effort_weeks: float
    phase: str
    depends_on: tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    """A scheduled task."""

    start: float
    end: float
    staff: float


def _durations(tasks: dict[str, Task], capacity: float) -> dict[str, tuple[float, float]]:
    staff = max(0.5, min(MAX_STAFF_PER_ACTION, capacity))
    return {t.id: (max(0.5, t.effort_weeks / staff), staff) for t in tasks.values()}


def _tail_lengths(tasks: dict[str, Task], durations: dict[str, tuple[float, float]]) -> dict[str, float]:
    """Longest path from each task to the end of the plan (its priority in list scheduling)."""
    dependants: dict[str, list[str]] = {t: [] for t in tasks}
    for task in tasks.values():
        for dep in task.depends_on:
            dependants[dep].append(task.id)
    memo: dict[str, float] = {}

    def tail(task_id: str) -> float:
        if task_id not in memo:
            memo[task_id] = durations[task_id][0] + max((tail(d) for d in dependants[task_id]), default=0.0)
        return memo[task_id]

    return {t: tail(t) for t in tasks}


def schedule(tasks: dict[str, Task], capacity: float) -> dict[str, Slot]:
    """Resource-constrained list scheduling: ready tasks start by phase, then longest tail first."""
    durations = _durations(tasks, capacity)
    tails = _tail_lengths(tasks, durations)
    slots: dict[str, Slot] = {}
    running: list[tuple[float, str]] = []
    time = 0.0
    pending = set(tasks)
    while pending:
        ready = [
            t for t in pending
            if all(d in slots and slots[d].end <= time + 1e-9 for d in tasks[t].depends_on)
        ]  # fmt: skip
        ready.sort(key=lambda t: (PHASE_ORDER[tasks[t].phase], -tails[t], t))
        in_use = sum(durations[t][1] for end, t in running if end > time + 1e-9)
        for task_id in ready:
            need = durations[task_id][1]
            # A task wider than the whole team still runs, alone, rather than never.
            if in_use + need <= capacity + 1e-9 or in_use == 0:
                end = time + durations[task_id][0]
                slots[task_id] = Slot(round(time, 2), round(end, 2), need)
                running.append((end, task_id))
                in_use += need
                pending.discard(task_id)
        future = [end for end, _ in running if end > time + 1e-9]
        if not future:
            if pending:  # unreachable with an acyclic catalog; guards against a loop on bad data
                raise ValueError(f"cannot schedule {sorted(pending)}: dependency cycle or missing dependency")
            break
        time = min(future)
    return slots


def critical_path(tasks: dict[str, Task], capacity: float) -> list[str]:
    """The longest dependency chain by duration (ignoring capacity)."""
    durations = _durations(tasks, capacity)
    tails = _tail_lengths(tasks, durations)
    if not tasks:
        return []
    dependants: dict[str, list[str]] = {t: [] for t in tasks}
    for task in tasks.values():
        for dep in task.depends_on:
            dependants[dep].append(task.id)
    roots = [t for t in tasks if not tasks[t].depends_on]
    current = max(sorted(roots), key=lambda t: tails[t])
    path = [current]
    while dependants[current]:
        current = max(sorted(dependants[current]), key=lambda t: tails[t])
        path.append(current)
    return path
