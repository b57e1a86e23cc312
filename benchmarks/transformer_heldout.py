"""Train the transformer model on folds 1-4 of the PTC articles and score it on fold 0.

The split is ``propscan.training.article_folds(ids, 5, seed=0)``: fold 0 is held out, and
never trained or tuned on. Results are in ``benchmarks/TRANSFORMER_NOTES.md``.

    python benchmarks/transformer_heldout.py train --encoder DIR --out /work/runs/tf-fold0
    python benchmarks/transformer_heldout.py evaluate --model /work/runs/tf-fold0 [--fp32]
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()
PTC = Path(__file__).resolve().parents[2] / "shared" / "ptc"


def split(corpus_dir: Path) -> tuple[Any, Any]:
    """(training corpus = folds 1-4, held-out corpus = fold 0)."""
    from propscan.ptc import read_corpus
    from propscan.training import article_folds

    corpus = read_corpus(corpus_dir)
    held_out = article_folds([a.id for a in corpus.articles], 5, seed=0)[0]
    rest = {a.id for a in corpus.articles} - set(held_out)
    return corpus.subset(rest), corpus.subset(held_out)


def train(args: argparse.Namespace) -> None:
    from propscan.train import TransformerConfig, train_transformer

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    training, _ = split(args.corpus)
    config = TransformerConfig(
        si_epochs=args.si_epochs,
        tc_epochs=args.tc_epochs,
        si_minutes=args.si_minutes,
        tc_minutes=args.tc_minutes,
        max_steps=args.max_steps,
        layers=args.layers,
        keep_fp32=True,
    )
    manifest = train_transformer(training, args.out, encoder_dir=args.encoder, config=config)
    print(json.dumps(manifest, indent=2))


def evaluate(args: argparse.Namespace) -> None:
    from propscan.model.onnx_bundle import read_transformer_model
    from propscan.pipeline import analyze, classify
    from propscan.scoring import score_full, score_si, score_tc

    manifest = json.loads((args.model / "manifest.json").read_text(encoding="utf-8"))
    if args.fp32:
        for task in ("si", "tc"):
            manifest[task]["model"] = f"fp32/{manifest[task]['model']}"
    model = read_transformer_model(args.model, manifest)
    cold_start = time.perf_counter() - STARTED
    _, held_out = split(args.corpus)
    analysed = []
    began = time.perf_counter()
    for article in held_out.articles:
        analysed.append(analyze(article, model))
    seconds = time.perf_counter() - began
    spans, full, on_gold = [], [], []
    for analysis in analysed:
        ident = analysis.article.id
        full += [(ident, s.technique, s.start, s.end) for s in analysis.spans]
        spans += sorted({(ident, s.start, s.end) for s in analysis.spans})
        gold = [(s, e) for _, _, s, e in held_out.labels_by_article[ident]]
        on_gold += [
            (ident, s.technique, s.start, s.end) for s in classify(analysis.article, gold, model)
        ]
    gold_spans = sorted({(a, s, e) for a, _, s, e in held_out.labels})
    si, tc, fl = (
        score_si(gold_spans, spans),
        score_tc(held_out.labels, on_gold),
        score_full(held_out.labels, full),
    )
    size = (
        sum((args.model / manifest[t]["model"]).stat().st_size for t in ("si", "tc"))
        + (args.model / manifest["tokenizer"]).stat().st_size
    )
    result = {
        "model": str(args.model),
        "weights": "fp32" if args.fp32 else ("int8" if manifest.get("quantized") else "fp32"),
        "held_out_articles": len(held_out.articles),
        "si": _prf(si.overall),
        "tc_micro": _prf(tc.overall),
        "full": _prf(fl.overall),
        "tc_per_technique_f1": {t: round(r.f1, 3) for t, r in tc.per_technique.items()},
        "articles_per_second": round(len(analysed) / seconds, 2),
        "cold_start_seconds": round(cold_start, 2),
        "size_mb": round(size / 1e6, 1),
        "mean_predicted_span_chars": round(sum(e - s for _, s, e in spans) / max(len(spans), 1), 1),
    }
    print(json.dumps(result, indent=2))


def _prf(prf: Any) -> dict[str, float]:
    return {
        "p": round(prf.precision, 4),
        "r": round(prf.recall, 4),
        "f1": round(prf.f1, 4),
        "predicted": prf.predicted,
        "gold": prf.gold,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=PTC)
    commands = parser.add_subparsers(dest="command", required=True)
    fit = commands.add_parser("train")
    fit.add_argument("--encoder", type=Path, required=True)
    fit.add_argument("--out", type=Path, required=True)
    fit.add_argument("--si-epochs", type=float, default=3.0)
    fit.add_argument("--tc-epochs", type=float, default=6.0)
    fit.add_argument("--si-minutes", type=float, default=80.0)
    fit.add_argument("--tc-minutes", type=float, default=80.0)
    fit.add_argument("--layers", type=int, default=4, help="encoder layers kept")
    fit.add_argument("--max-steps", type=int, help="cap each model's steps (smoke test)")
    score = commands.add_parser("evaluate")
    score.add_argument("--model", type=Path, required=True)
    score.add_argument("--fp32", action="store_true", help="score the unquantised ONNX files")
    args = parser.parse_args()
    if args.command == "train":
        train(args)
    else:
        evaluate(args)


if __name__ == "__main__":
    main()
