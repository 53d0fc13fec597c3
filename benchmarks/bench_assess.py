"""Assessment speed and memory: cold CLI run, warm in-process assessment, first store build.

Usage: python benchmarks/bench_assess.py [--runs 5]. Prints a table and writes benchmarks/results.json.
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
    cold = [cli(["assess", str(BRIEF), "--format", "json"], env) for _ in range(args.runs)]
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    os.environ.update(env)
    from advisor.api import Advisor
    from advisor.intake import brief_from_text

    advisor = Advisor()
    briefs = [brief_from_text(p.read_text(), name=p.stem) for p in sorted((ROOT / "examples" / "briefs").glob("*.md"))]
    advisor.assess(briefs[0])
    warm = []
    for _ in range(args.runs):
        for brief in briefs:
            started = time.perf_counter()
            advisor.assess(brief)
            warm.append(time.perf_counter() - started)
    results = {
        "brief_words": len(BRIEF.read_text().split()),
        "first_store_build_s": round(build, 2),
        "cold_assess_median_s": round(statistics.median(cold), 3),
        "warm_assess_median_ms": round(statistics.median(warm) * 1000, 1),
        "warm_assess_p95_ms": round(sorted(warm)[int(0.95 * (len(warm) - 1))] * 1000, 1),
        "peak_rss_cli_mb": round(peak_mb),
        "runs": args.runs,
        "cpus": os.cpu_count(),
    }
    for key, value in results.items():
        print(f"{key:<24} {value}")
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
