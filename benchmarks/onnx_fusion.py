"""Would saving ONNX Runtime's transformer fusions in the model file make the tagger faster?

Usage: python benchmarks/onnx_fusion.py WORK_DIR [--repeats 200]

Exports a tagger of the shipped shape (all-MiniLM-L6-v2 cut to 4 layers, a 3-tag head; random
head weights cost the same time as trained ones) twice from the same weights:

- as the recipe does: int8 (dynamic, per channel) straight from the exported graph, which ONNX
  Runtime optimises when it opens the file (``ORT_ENABLE_ALL``);
- fused first by ``onnxruntime.transformers.optimizer`` (attention, bias-GELU and skip layer
  norms as single operators, saved in the file), then int8, the attention included.

Both run one 128-piece window at a time on one thread, as ``propscan analyze`` does, and the
median milliseconds per window of ``--repeats`` runs (interleaved) are printed with each
file's largest logit difference from float32. Needs the train extra.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.transformers import optimizer
from onnxruntime.transformers.fusion_options import FusionOptions
from transformers import AutoModelForTokenClassification

from propscan.model.transformer.network import open_session
from propscan.train.export import export_onnx, quantize
from propscan.train.si import TaggerLogits
from propscan.train.transformer import default_encoder

WINDOW = 130
"""Pieces of a tagger window with [CLS] and [SEP]."""


def export(work: Path) -> dict[str, Path]:
    """The float32 export and the two int8 files."""
    torch.manual_seed(0)
    model = AutoModelForTokenClassification.from_pretrained(
        str(default_encoder()), num_labels=3, num_hidden_layers=4, attn_implementation="eager"
    )
    ids = torch.randint(1000, 20000, (2, WINDOW))
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids)}
    axes = {name: {0: "batch", 1: "pieces"} for name in [*inputs, "logits"]}
    files = {name: work / f"{name}.onnx" for name in ("fp32", "int8", "fused", "fused-int8")}
    export_onnx(TaggerLogits(model), inputs, files["fp32"], axes)
    quantize(files["fp32"], files["int8"])
    options = FusionOptions("bert")
    options.enable_embed_layer_norm = False  # keeps the embedding a Gather that int8 covers
    fused = optimizer.optimize_model(
        str(files["fp32"]),
        model_type="bert",
        num_heads=12,
        hidden_size=384,
        opt_level=0,
        optimization_options=options,
    )
    print("fused operators:", {k: v for k, v in fused.get_fused_operator_statistics().items() if v})
    fused.save_model_to_file(str(files["fused"]))
    quantize_dynamic(
        files["fused"],
        files["fused-int8"],
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul", "Gather", "Attention"],
        per_channel=True,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work_dir", type=Path)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    files = export(args.work_dir)
    sessions = {
        name: open_session(files[name], threads=1) for name in ("fp32", "int8", "fused-int8")
    }
    ids = np.random.default_rng(0).integers(1000, 20000, (1, WINDOW))
    feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
    reference = np.asarray(sessions["fp32"].run(None, feed)[0])
    times: dict[str, list[float]] = {name: [] for name in sessions}
    for _ in range(args.repeats):
        for name, session in sessions.items():
            began = time.perf_counter()
            session.run(None, feed)
            times[name].append(time.perf_counter() - began)
    for name, session in sessions.items():
        difference = float(np.abs(np.asarray(session.run(None, feed)[0]) - reference).max())
        size = files[name].stat().st_size / 1e6
        print(
            f"{name}: {1000 * statistics.median(times[name]):.2f} ms a window, "
            f"{size:.0f} MB, largest logit difference from float32 {difference:.3f}"
        )


if __name__ == "__main__":
    main()
