"""The CRF model on the transformer benchmark's split: train on folds 1-4, score fold 0.

Usage: python benchmarks/crf_heldout.py ../shared/ptc
Folds are ``propscan.training.article_folds(ids, 5, seed=0)``, as in transformer_heldout.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from propscan.ptc import read_corpus
from propscan.scoring import score_full, score_si, score_tc
from propscan.training import TrainingConfig, article_folds, predict_held_out


def main() -> None:
    corpus = read_corpus(Path(sys.argv[1]))
    ids = [a.id for a in corpus.articles]
    held_out = article_folds(ids, 5, seed=0)[0]
    test = corpus.subset(held_out)
    predictions = predict_held_out(corpus.subset(set(ids) - set(held_out)), test, TrainingConfig())
    gold_spans = sorted({(a, s, e) for a, _, s, e in test.labels})
    print(f"{len(test.articles)} held-out articles")
    for name, report in (
        ("SI", score_si(gold_spans, predictions.spans)),
        ("TC", score_tc(test.labels, predictions.techniques_on_gold)),
        ("full", score_full(test.labels, predictions.full)),
    ):
        o = report.overall
        print(f"{name}: P {o.precision:.4f} R {o.recall:.4f} F1 {o.f1:.4f}")


if __name__ == "__main__":
    main()
