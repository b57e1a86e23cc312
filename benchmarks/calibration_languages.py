"""Calibration of a SemEval-2023 model's confidences on the articles it held out, by language.

Usage: python benchmarks/calibration_languages.py MODEL_DIR ROOT [ROOT ...] [--write FILE]

``MODEL_DIR`` is a model trained with ``--hold-out-fold`` (e.g. ``propscan train
../shared/semeval2023-multilingual --add ../shared/semeval2023-en --task multilingual
--hold-out-fold 0 -o DIR``); each ROOT a SemEval-2023 release (the multilingual one, the English
one). Every held-out article is analysed as ``propscan analyze`` does, with raw scores; a span
counts as right when a gold span of its technique covers at least half of it. Prints the
reliability table (10 bins) of the raw scores and of calibrated ones, each language's spans
mapped by a curve fitted on the other languages' spans, with the expected calibration error.
``--write`` saves the map fitted on every span (JSON, as ``Calibration.to_dict``).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from propscan.model.bundle import read_model
from propscan.model.calibration import Calibration
from propscan.pipeline import analyze
from propscan.tasks.semeval2023 import read_any_semeval2023
from propscan.train.calibration import (
    cross_fitted,
    expected_calibration_error,
    print_reliability,
    reliability,
)
from propscan.train.evaluation import hold_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("roots", type=Path, nargs="+")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    model = replace(read_model(args.model_dir), calibration=None)
    held = (model.manifest or {}).get("held_out") or {}
    if not held.get("per_language"):
        raise SystemExit(f"{args.model_dir} held out no fold per language (--hold-out-fold)")
    articles: list[str] = []
    scores: list[float] = []
    hits: list[bool] = []
    parts: dict[str, set[str]] = defaultdict(set)
    for root in args.roots:
        for language, corpus in read_any_semeval2023(root).items():
            _, test = hold_out(corpus, held["fold"], held["folds"], int(held.get("seed", 0)))
            gold = defaultdict(list)
            for article, technique, start, end in test.labels:
                gold[(article, technique)].append((start, end))
            for article in test.articles:
                if model.trained_on(article.text):
                    continue
                parts[language].add(article.id)
                for span in analyze(article, model, "semeval2023").spans:
                    covered = max(
                        (
                            min(span.end, e) - max(span.start, s)
                            for s, e in gold[(article.id, span.technique)]
                        ),
                        default=0,
                    )
                    articles.append(article.id)
                    scores.append(span.score)
                    hits.append(2 * covered >= span.end - span.start)
    sizes = ", ".join(f"{language} {len(ids)}" for language, ids in parts.items())
    print(f"{len(scores)} spans shown on the held-out articles ({sizes})")
    print_reliability("raw scores", reliability(scores, hits))
    calibrated = cross_fitted(articles, scores, hits, list(parts.values()))
    print_reliability(
        "calibrated (each language by a map fitted on the others)", reliability(calibrated, hits)
    )
    for language, ids in parts.items():
        inside = [i for i, a in enumerate(articles) if a in ids]
        table = reliability([calibrated[i] for i in inside], [hits[i] for i in inside])
        print(f"{language}: {len(inside)} spans, ECE {expected_calibration_error(table):.3f}")
    if args.write:
        curve = Calibration.fit(scores, hits)
        args.write.write_text(json.dumps(curve.to_dict()) + "\n", encoding="utf-8")
        print(f"\nwrote the map fitted on all {len(scores)} spans to {args.write}")


if __name__ == "__main__":
    main()
