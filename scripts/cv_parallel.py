"""Run the recipe's grouped cross-validation folds (and, optionally, the all-article model) in
parallel processes: for a machine with many cores or a GPU, where one fold at a time would leave
it idle. The results are the same as ``propscan evaluate CORPUS --folds K --work-dir DIR``'s,
which resumes from the same work folder.

Usage: python scripts/cv_parallel.py CORPUS WORK_DIR [--folds 5] [--occurrence-input]
       [--encoder DIR] [--final MODEL_DIR] [--summary FILE] [--max-steps N]
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

from propscan.tasks.ptc import read_corpus
from propscan.train.transformer import TransformerConfig, default_encoder, train_transformer
from propscan.train.transformer_cv import cross_validate_transformer, run_fold


def _fold(
    corpus_dir: Path, work_dir: Path, fold: int, k: int, encoder: Path, config_: dict[str, Any]
) -> str:
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s fold {fold} %(message)s")
    run_fold(
        read_corpus(corpus_dir),
        work_dir,
        fold,
        encoder_dir=encoder,
        k=k,
        config=TransformerConfig(**config_),
    )
    return f"fold {fold}"


def _final(corpus_dir: Path, out: Path, encoder: Path, config_: dict[str, Any]) -> str:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s final %(message)s")
    train_transformer(
        read_corpus(corpus_dir),
        out,
        encoder_dir=encoder,
        config=TransformerConfig(**config_),
        tune=False,
    )
    return str(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("work_dir", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--occurrence-input", action="store_true")
    parser.add_argument("--encoder", type=Path)
    parser.add_argument("--final", type=Path, help="also train the all-article model here")
    parser.add_argument("--summary", type=Path, help="write the CV figures here (JSON)")
    parser.add_argument("--max-steps", type=int, help="cap each network's steps (smoke tests)")
    args = parser.parse_args()
    encoder = args.encoder or default_encoder()
    config = asdict(
        TransformerConfig(
            tc_occurrence_input=args.occurrence_input, threads=1, max_steps=args.max_steps
        )
    )
    jobs = args.folds + (1 if args.final else 0)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [
            pool.submit(_fold, args.corpus, args.work_dir, fold, args.folds, encoder, config)
            for fold in range(args.folds)
        ]
        if args.final:
            futures.append(pool.submit(_final, args.corpus, args.final, encoder, config))
        for future in futures:
            print("done:", future.result(), flush=True)
    result = cross_validate_transformer(
        read_corpus(args.corpus),
        args.work_dir,
        encoder_dir=encoder,
        k=args.folds,
        config=TransformerConfig(**config),
    )
    summary: dict[str, Any] = {
        task: dict(zip(("mean", "std"), result.mean_std(task), strict=True))
        for task in ("si", "tc", "full")
    }
    summary["pooled"] = {
        task: getattr(result.pooled, task).overall.f1 for task in ("si", "tc", "full")
    }
    summary["per_technique"] = {
        task: {
            label: asdict(prf) for label, prf in getattr(result.pooled, task).per_technique.items()
        }
        for task in ("tc", "full")
    }
    summary["label_thresholds"] = result.label_thresholds
    summary["decodings"] = result.decodings
    print(json.dumps(summary, indent=1))
    if args.summary:
        args.summary.write_text(json.dumps(summary, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
