"""Assessment speed and memory: first store build, cold CLI run, warm in-process assessment.

Usage: python benchmarks/bench_assess.py [--runs 5]. Prints a table and writes benchmarks/results.json.
"Warm" assesses briefs the process has not seen (the sentence-embedding cache is cleared before each), so
the figure is the honest cost of a new brief; "repeat" is the same brief again (cache hits), the case of an
interview re-reading its brief.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT / "examples" / "briefs" / "retail-churn.md"


def cli(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "advisor", *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    store = Path(tempfile.mkdtemp()) / "chroma"
    env = {**os.environ, "ADVISOR_STORE_PATH": str(store), "ANONYMIZED_TELEMETRY": "False"}
    build = cli(["kb", "stats"], env)
    build_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cli(["assess", str(BRIEF), "--format", "json"], env)  # trains and saves the polarity model once
    cold = []
    peak = 0.0
    for _ in range(args.runs):
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "advisor", "assess", str(BRIEF), "--format", "json"],
            env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        cold.append(time.perf_counter() - started)
        peak = max(peak, int(done.stderr.strip().splitlines()[-1]) / 1024)

    os.environ.update(env)
    from advisor.api import Advisor
    from advisor.embeddings.minilm import shared_embedder
    from advisor.intake import brief_from_text

    advisor = Advisor()
    paths = sorted((ROOT / "examples" / "briefs").glob("*.md")) + sorted((ROOT / "evals" / "dataset").glob("*/*.md"))
    briefs = [brief_from_text(p.read_text(), name=p.stem) for p in paths]
    advisor.assess(briefs[0])
    warm, words = [], []
    for brief in briefs:
        shared_embedder().clear_cache()
        started = time.perf_counter()
        advisor.assess(brief)
        warm.append(time.perf_counter() - started)
        words.append(len(brief.text.split()))
    repeat = []
    for _ in range(args.runs):
        started = time.perf_counter()
        advisor.assess(briefs[0])
        repeat.append(time.perf_counter() - started)
    per_100_words = statistics.median(w / n * 100 for w, n in zip(warm, words, strict=True))
    results = {
        "brief_words": len(BRIEF.read_text().split()),
        "first_store_build_s": round(build, 2),
        "first_store_build_peak_rss_mb": round(build_rss),
        "cold_assess_median_s": round(statistics.median(cold), 3),
        "cold_assess_peak_rss_mb": round(peak),
        "warm_new_brief_median_ms": round(statistics.median(warm) * 1000, 1),
        "warm_new_brief_p95_ms": round(sorted(warm)[int(0.95 * (len(warm) - 1))] * 1000, 1),
        "warm_ms_per_100_words": round(per_100_words * 1000, 1),
        "warm_briefs": len(warm),
        "repeat_same_brief_median_ms": round(statistics.median(repeat) * 1000, 1),
        "runs": args.runs,
        "cpus": os.cpu_count(),
    }
    for key, value in results.items():
        print(f"{key:<32} {value}")
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
