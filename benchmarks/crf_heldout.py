"""The CRF model on the transformer benchmark's split: train on folds 1-4, score fold 0.

Usage: python benchmarks/crf_heldout.py ../shared/ptc
The split is ``propscan.train.linear.hold_out(corpus, 0, 5, 0)``, as for the transformer model.
"""

from __future__ import annotations

import sys
from pathlib import Path

from propscan.tasks.ptc import read_corpus
from propscan.train.evaluation import evaluate, hold_out
from propscan.train.linear import TrainingConfig, predict_held_out


def main() -> None:
    training, test = hold_out(read_corpus(Path(sys.argv[1])), 0, 5, 0)
    scores = evaluate(test, predict_held_out(training, test, TrainingConfig()))
    print(f"{len(test.articles)} held-out articles")
    for name, report in (("SI", scores.si), ("TC", scores.tc), ("full", scores.full)):
        o = report.overall
        print(f"{name}: P {o.precision:.4f} R {o.recall:.4f} F1 {o.f1:.4f}")


if __name__ == "__main__":
    main()
