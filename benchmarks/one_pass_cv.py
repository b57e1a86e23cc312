"""Does one encoder pass hold up? Grouped cross-validation of the one-pass recipe.

The one-pass recipe (``TransformerConfig(shared_encoder=True)``, ``train.joint``) trains one
network that tags the spans and names their techniques from the same encoder states, so an
article is encoded once instead of twice. This runs the same grouped, nested folds as
``propscan evaluate ../shared/ptc --folds 5 --work-dir DIR`` (resumable from the work folder)
and prints each fold's SI, TC and full-task scores as it finishes, then the cross-validation's
summary with the label thresholds cross-fitted on the other folds' held-out spans::

    python benchmarks/one_pass_cv.py ../shared/ptc WORK_DIR [--only 0 1] [--max-steps N]

With ``--only`` just those folds are trained and scored (no cross-fitted summary).
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from teacher_fold import scores_line

from propscan.tasks.ptc import read_corpus
from propscan.train.evaluation import evaluate
from propscan.train.transformer import TransformerConfig, default_encoder
from propscan.train.transformer_cv import cross_validate_transformer, run_fold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("work_dir", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", type=int, nargs="+", help="train and score only these folds")
    parser.add_argument("--max-steps", type=int, help="cap the network's steps (smoke tests)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    logging.getLogger("propscan").setLevel(logging.INFO)  # progress, not the quantiser's chatter
    corpus = read_corpus(args.corpus)
    encoder = default_encoder()
    config = TransformerConfig(shared_encoder=True, max_steps=args.max_steps)
    for fold in args.only or range(args.folds):
        test_part, predictions, _, _ = run_fold(
            corpus, args.work_dir, fold, encoder_dir=encoder, k=args.folds, config=config
        )
        scores = scores_line(evaluate(test_part, predictions))
        print(f"fold {fold} ({len(test_part.articles)} articles): {scores}", flush=True)
    if args.only:
        return
    cv = cross_validate_transformer(
        corpus, args.work_dir, encoder_dir=encoder, k=args.folds, config=config
    )
    for fold, scores in enumerate(cv.folds):
        print(f"fold {fold}, cross-fitted label thresholds: {scores_line(scores)}")
    for task in ("si", "tc", "full"):
        mean, std = cv.mean_std(task)
        print(f"{task}: {mean:.3f} ± {std:.3f}")
    print(f"label thresholds on all folds' held-out spans: {cv.label_thresholds}")


if __name__ == "__main__":
    main()
