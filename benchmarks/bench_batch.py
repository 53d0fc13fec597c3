"""Batch throughput and memory: `advisor batch` over 100 and 1,000 briefs, --jobs 1 and 2.

Usage: python benchmarks/bench_batch.py [--sizes 100 1000] [--jobs 1 2] [--runs 1]. Writes
benchmarks/batch_results.json.

The briefs are the eval and example briefs cycled in a temp folder. Copy k of a brief changes the letter
case of one letter per line: the model is uncased, so each copy costs the same work as a new brief of that
length, but no sentence is found in the embedding cache (which would otherwise make copies nearly free).
Throughput is the figure `advisor batch` prints (briefs assessed per second, from its first brief to its
last); wall time also counts start-up. Memory is the peak of the summed RSS of the batch process and its
workers, sampled every 50 ms from /proc.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sources() -> list[Path]:
    """The briefs to cycle: eval briefs (Markdown) and the examples."""
    return sorted((ROOT / "evals" / "dataset").glob("*/*.md")) + sorted((ROOT / "examples" / "briefs").glob("*.md"))


def vary(text: str, copy: int) -> str:
    """Copy `copy` of a brief: on each line, the copy-th letter (counting from the end when short) swaps case."""
    if copy == 0:
        return text
    lines = []
    for line in text.splitlines():
        letters = [i for i, ch in enumerate(line) if ch.isalpha()]
        if letters:
            i = letters[copy % len(letters)]
            line = line[:i] + line[i].swapcase() + line[i + 1 :]
        lines.append(line)
    return "\n".join(lines) + "\n"


def make_briefs(folder: Path, count: int) -> None:
    """`count` brief files in folder."""
    folder.mkdir(parents=True, exist_ok=True)
    base = sources()
    for n in range(count):
        src = base[n % len(base)]
        (folder / f"{n:04d}-{src.stem}.md").write_text(vary(src.read_text(), n // len(base)))


def _tree_rss_mb(root_pid: int) -> float:
    """Summed RSS of a process and all its descendants, in MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            children.setdefault(int(fields[1]), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 1e6


def run_batch(briefs: Path, out: Path, jobs: int, env: dict[str, str]) -> dict[str, float]:
    """One `advisor batch` run: throughput, wall time and peak memory."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "advisor", "batch", str(briefs), "--out", str(out), "--jobs", str(jobs), "--force"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_mb(proc.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - started
    _out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"advisor batch failed ({proc.returncode}): {err[-2000:]}")
    rate = re.search(r"([\d.]+) assessed per second", err)
    return {"briefs_per_s": float(rate.group(1)) if rate else 0.0, "wall_s": round(wall, 2), "peak_rss_mb": round(peak)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    env.setdefault("ADVISOR_DATA_DIR", str(tmp / "data"))
    subprocess.run([sys.executable, "-m", "advisor", "kb", "stats"], env=env, check=True, capture_output=True)
    results: dict[str, dict[str, float]] = {}
    for size in args.sizes:
        briefs = tmp / f"briefs-{size}"
        make_briefs(briefs, size)
        for jobs in args.jobs:
            runs = [run_batch(briefs, tmp / f"out-{size}-{jobs}", jobs, env) for _ in range(args.runs)]
            key = f"{size}_briefs_jobs_{jobs}"
            results[key] = {name: statistics.median(r[name] for r in runs) for name in runs[0]}
            print(f"{key:<22} {results[key]}", flush=True)
    summary = {"results": results, "runs": args.runs, "cpus": os.cpu_count(), "formats": "json,md,html"}
    (ROOT / "benchmarks" / "batch_results.json").write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
