"""Score a transformer model folder on its held-out fold, as int8 (shipped) or fp32 weights.

    propscan train ../shared/ptc --kind transformer-onnx --hold-out-fold 0 -o /work/runs/tf4
    python benchmarks/transformer_heldout.py /work/runs/tf4          # the int8 files
    python benchmarks/transformer_heldout.py /work/runs/tf4 --fp32   # fp32/ (kept by training)

Prints JSON: SI, TC and full-task scores, per-technique TC F1, size and mean span length, so the
cost of int8 quantisation can be read off two runs. ``propscan evaluate --model`` prints the
same scores as tables.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from propscan.model.transformer.bundle import read_transformer_model
from propscan.tasks.ptc import read_corpus
from propscan.tasks.scoring import PRF
from propscan.train.evaluation import evaluate, hold_out, predict

PTC = Path(__file__).resolve().parents[2] / "shared" / "ptc"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--corpus", type=Path, default=PTC)
    parser.add_argument("--fp32", action="store_true", help="score the unquantised ONNX files")
    args = parser.parse_args()

    manifest = json.loads((args.model / "manifest.json").read_text(encoding="utf-8"))
    if args.fp32:
        for task in ("si", "tc"):
            manifest[task]["model"] = f"fp32/{manifest[task]['model']}"
    model = read_transformer_model(args.model, manifest)
    held_out = manifest["held_out"]
    _, test = hold_out(
        read_corpus(args.corpus), held_out["fold"], held_out["folds"], held_out["seed"]
    )
    predictions = predict(model, test)
    scores = evaluate(test, predictions)
    size = sum((args.model / manifest[t]["model"]).stat().st_size for t in ("si", "tc"))
    size += (args.model / manifest["tokenizer"]).stat().st_size
    spans = predictions.spans
    result = {
        "model": str(args.model),
        "weights": "fp32" if args.fp32 else ("int8" if manifest.get("quantized") else "fp32"),
        "held_out_articles": len(test.articles),
        "si": _prf(scores.si.overall),
        "tc_micro": _prf(scores.tc.overall),
        "full": _prf(scores.full.overall),
        "tc_per_technique_f1": {t: round(r.f1, 3) for t, r in scores.tc.per_technique.items()},
        "size_mb": round(size / 1e6, 1),
        "mean_predicted_span_chars": round(sum(e - s for _, s, e in spans) / max(len(spans), 1), 1),
    }
    print(json.dumps(result, indent=2))


def _prf(prf: PRF) -> dict[str, Any]:
    return {
        "p": round(prf.precision, 4),
        "r": round(prf.recall, 4),
        "f1": round(prf.f1, 4),
        "predicted": prf.predicted,
        "gold": prf.gold,
    }


if __name__ == "__main__":
    main()
