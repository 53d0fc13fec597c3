"""Dev-only threshold grid for a swapped embedding model (README, "Dynamic int8 quantization, measured").

    ADVISOR_DATA_DIR=/tmp/some-fresh-dir python benchmarks/quant_retune.py MODEL.onnx [--one-per-run]

Builds the store with MODEL (in a fresh data dir, so its example vectors and polarity model come from it),
then scores the dev split only, never held-out, for every combination in GRID and prints how many keep
the current dev figures and the best few. The embedding cache makes each combination cost a fraction of
a second after the first.
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
from pathlib import Path
from typing import Any

GRID: dict[str, list[float]] = {
    "min_confidence": [0.30, 0.35, 0.40],
    "model_gap_min": [0.45, 0.5, 0.55],
    "model_high_ratio": [0.9, 1.0, 1.2],
    "area_min": [0.44, 0.46, 0.48],
}
HIGH_WEIGHTS = [0.65, 0.7, 0.75, 0.8]
FLOORS = (0.792, 0.654, 0)
"""The current dev verdict accuracy, area F1 and handled areas rated high."""


def main() -> None:
    """Swap the model in, then score dev for each combination."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import quant_experiment  # the same model swap as the experiment's child processes

    model, one_per_run = sys.argv[1], "--one-per-run" in sys.argv
    quant_experiment.swap_model(model, one_per_run)

    import advisor.decide.scoring as scoring
    from advisor.api import Advisor
    from advisor.evaluation.dataset import load_dataset
    from advisor.evaluation.suite import run_suite
    from advisor.reasoning.offline import OfflineReasoner, Thresholds

    root = Path(__file__).resolve().parent.parent / "evals" / "dataset"
    samples = load_dataset(root, ("dev",))
    advisor = Advisor()
    reasoner = advisor.reasoner
    assert isinstance(reasoner, OfflineReasoner)
    rules = scoring.ScoringRules
    rows: list[tuple[float, float, int, dict[str, Any]]] = []
    for values in itertools.product(*GRID.values()):
        chosen = dict(zip(GRID, values, strict=True))
        reasoner._t = dataclasses.replace(Thresholds(), **chosen)
        for high in HIGH_WEIGHTS:
            # score_risks builds ScoringRules() at call time, so the module name is what to replace.
            scoring.ScoringRules = lambda high=high: rules(high_weight=high)  # type: ignore[misc,assignment]
            m = run_suite(advisor, root, "dev", False, samples=samples)["splits"]["dev"]
            rows.append((m["verdict_accuracy"], m["area_f1"], m["must_not_flag_rated_high"], chosen | {"high": high}))
    scoring.ScoringRules = rules  # type: ignore[misc]
    keep = [r for r in rows if r[0] >= FLOORS[0] and r[1] >= FLOORS[1] and r[2] <= FLOORS[2]]
    print(f"{len(rows)} combinations on dev; {len(keep)} keep verdict, F1 and handled-high")
    for row in sorted(rows, key=lambda r: (r[2], -r[0], -r[1]))[:10]:
        print(row)


if __name__ == "__main__":
    main()
