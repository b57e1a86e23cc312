"""Does the shipped small recipe gain from a teacher's labels on unlabelled news? Grouped folds.

A teacher trained on the training part of one grouped PTC fold (``teacher_fold.py``) labels a
random sample of the unlabelled AllSides articles (its own decodings: the spans and techniques
``propscan analyze`` would give). The small recipe then trains on the fold's gold articles plus
those teacher-labelled ones, and its held-out SI, TC and full-task F1 print beside each other,
computed as ``teacher_fold.py`` computes them, so the three compare::

    python benchmarks/distil_fold.py ../shared/ptc ../shared/allsides-news/articles.jsonl \\
        TEACHER_WORK WORK_DIR [--folds 0 1 2 3 4] [--articles 600] [--si-epochs 3] \\
        [--tc-epochs 4] [--soft]

``TEACHER_WORK`` is ``teacher_fold.py``'s work folder: fold N's teacher is its
``fold-N/model``. Each fold is scored as it finishes; with several folds, their mean and
standard deviation follow.

With ``--teacher-spans`` the student's tagger learns the spans of the teacher's span-finding
decoding (the SI task's; ``fold-N/teacher-spans.json``) instead of the spans it labelled, which
the classifier still learns.

With ``--soft`` the student learns the teacher's probabilities (``propscan.train.soft_labels``:
each word piece's B/I/O distribution, each span's technique distribution) instead of its
decoded spans. The teacher's labels (and probabilities, with ``--soft``) are kept in ``WORK_DIR``
(``fold-N/teacher-labels.json``, ``fold-N/teacher-probabilities.npz``), and a trained fold is
reused. The AllSides articles were chosen to share no title and under 10% of their text with
any PTC article (its README), so no held-out article reaches the student through them.
"""

from __future__ import annotations

import argparse
import logging
import statistics
from pathlib import Path

from teacher_fold import scores_line  # this folder is on the path when run as a script

from propscan.tasks.ptc import read_corpus
from propscan.train.distillation import labelled_by_teacher, spans_by_teacher
from propscan.train.evaluation import evaluate
from propscan.train.transformer import TransformerConfig, default_encoder
from propscan.train.transformer_cv import run_fold
from propscan.train.unlabelled import sample_unlabelled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("allsides", type=Path, help="allsides-news/articles.jsonl")
    parser.add_argument("teachers", type=Path, help="teacher_fold.py's work folder (fold-N/model)")
    parser.add_argument("work_dir", type=Path)
    parser.add_argument("--folds", type=int, nargs="+", default=[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--si-epochs", type=float, default=3.0)
    parser.add_argument("--tc-epochs", type=float, default=4.0)
    parser.add_argument("--max-steps", type=int, help="cap each network's steps (smoke tests)")
    parser.add_argument(
        "--soft", action="store_true", help="learn the teacher's probabilities, not its spans"
    )
    parser.add_argument(
        "--teacher-spans",
        action="store_true",
        help="the tagger learns the spans of the teacher's span-finding decoding",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    corpus = read_corpus(args.corpus)
    unlabelled = sample_unlabelled(args.allsides, args.articles)
    config = TransformerConfig(
        si_epochs=args.si_epochs, tc_epochs=args.tc_epochs, max_steps=args.max_steps
    )
    results = []
    for fold in args.folds:
        fold_dir = args.work_dir / f"fold-{fold}"
        fold_dir.mkdir(parents=True, exist_ok=True)
        teacher = args.teachers / f"fold-{fold}" / "model"
        pseudo, views = labelled_by_teacher(teacher, unlabelled, fold_dir, probabilities=args.soft)
        print(
            f"fold {fold}: teacher labels, {len(pseudo.labels)} spans on {len(unlabelled)} articles"
        )
        test_part, predictions, decoding, _ = run_fold(
            corpus,
            args.work_dir,
            fold,
            encoder_dir=default_encoder(),
            config=config,
            pseudo=pseudo,
            soft=views if args.soft else None,
            pseudo_spans=(
                spans_by_teacher(teacher, unlabelled, fold_dir) if args.teacher_spans else None
            ),
        )
        scores = evaluate(test_part, predictions)
        results.append(scores)
        print(f"fold {fold}: {len(test_part.articles)} held-out articles, decodings {decoding}")
        print(scores_line(scores), flush=True)
    if len(results) > 1:
        print("mean ± std over the folds:")
        for task in ("si", "tc", "full"):
            values = [getattr(scores, task).overall.f1 for scores in results]
            print(f"  {task}: {statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}")


if __name__ == "__main__":
    main()
