"""Calibration of the recipe's confidences on held-out spans of a cross-validation work folder.

Usage: python benchmarks/calibration_cv.py CV_WORK_DIR ../shared/ptc [--folds 5] [--write FILE]

Reads the held-out candidates (``fold-N/candidates.json``) of every fold that
``propscan evaluate CORPUS --work-dir CV_WORK_DIR`` has finished, keeps the spans the bundled
model's label thresholds show, and prints the reliability table (10 bins) of the raw scores and
of calibrated ones, with the expected calibration error. Calibrated scores are cross-fitted:
with two or more finished folds each fold's spans are calibrated by a map fitted on the other
folds; with one, by halves of its articles (near-duplicates kept together). ``--write`` saves
the map fitted on all these spans (JSON, as ``model.calibration.Calibration.to_dict``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from propscan.model.bundle import DEFAULT_MODEL_DIR, read_model
from propscan.model.calibration import Calibration
from propscan.tasks.ptc import read_corpus
from propscan.techniques import LABELS
from propscan.train.calibration import (
    cross_fitted,
    print_reliability,
    reliability,
    shown_spans,
)
from propscan.train.evaluation import article_folds, hold_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work_dir", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    corpus = read_corpus(args.corpus)
    thresholds = read_model(DEFAULT_MODEL_DIR).label_thresholds or {}
    found, gold, parts = [], [], []
    for fold in range(args.folds):
        path = args.work_dir / f"fold-{fold}" / "candidates.json"
        if not path.is_file():
            continue
        _, test = hold_out(corpus, fold, args.folds)
        found += [tuple(c) for c in json.loads(path.read_text(encoding="utf-8"))]
        gold += list(test.labels)
        parts.append(test)
    if not parts:
        raise SystemExit(f"no finished fold in {args.work_dir}")
    articles, scores, hits = shown_spans(found, gold, LABELS, thresholds)  # type: ignore[arg-type]
    if len(parts) == 1:
        split = [set(ids) for ids in article_folds(parts[0].articles, 2)]
    else:
        split = [{a.id for a in part.articles} for part in parts]
    print(f"{len(parts)} fold(s), {len({a for a in articles})} articles, {len(scores)} shown spans")
    print_reliability("raw scores", reliability(scores, hits))
    print_reliability(
        "calibrated (cross-fitted)", reliability(cross_fitted(articles, scores, hits, split), hits)
    )
    if args.write:
        curve = Calibration.fit(scores, hits)
        args.write.write_text(json.dumps(curve.to_dict()) + "\n", encoding="utf-8")
        print(f"\nwrote the map fitted on all {len(scores)} spans to {args.write}")


if __name__ == "__main__":
    main()
