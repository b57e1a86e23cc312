"""Fitting and measuring calibrated confidence on held-out spans (see ``model.calibration``).

A shown span counts as right when a gold span of the same technique in the same article covers
at least half of it. ``reliability`` groups spans in ten score bins and gives, per bin, the mean
score and the rate of right ones; the expected calibration error is the span-weighted mean gap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from propscan.model.calibration import Calibration
from propscan.pipeline import over_thresholds
from propscan.tasks.scoring import TechniqueLabel
from propscan.train.label_thresholds import Candidate

BINS = 10
RECIPE_CALIBRATION = {"slope": 0.509662, "intercept": -1.488633}
"""The map a model trained on every article gets (``propscan train``): Platt scaling fitted on
the held-out spans of the recipe's grouped cross-validation, as printed by
``python benchmarks/calibration_cv.py CV_WORK_DIR ../shared/ptc --write FILE``."""


@dataclass(frozen=True)
class Bin:
    """One score bin of a reliability table."""

    low: float
    high: float
    spans: int
    mean_score: float
    right: float


def shown_spans(
    found: Sequence[Candidate],
    gold: Sequence[TechniqueLabel],
    labels: Sequence[str],
    thresholds: dict[str, float],
) -> tuple[list[str], list[float], list[bool]]:
    """(article, raw score, right) of every span the label thresholds show."""
    by_article: defaultdict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for article, technique, start, end in gold:
        by_article[(article, technique)].append((start, end))
    articles, scores, hits = [], [], []
    for article, start, end, confidence, row in found:
        for j in over_thresholds(labels, confidence, row, thresholds):
            covered = max(
                (min(end, e) - max(start, s) for s, e in by_article[(article, labels[j])]),
                default=0,
            )
            articles.append(article)
            scores.append(confidence * row[j])
            hits.append(2 * covered >= end - start)
    return articles, scores, hits


def reliability(scores: Sequence[float], hits: Sequence[bool], bins: int = BINS) -> list[Bin]:
    """Spans in ``bins`` equal-width score bins: count, mean score and share right."""
    values, right = np.asarray(scores, float), np.asarray(hits, float)
    index = np.minimum((values * bins).astype(int), bins - 1)
    table = []
    for b in range(bins):
        inside = index == b
        n = int(inside.sum())
        table.append(
            Bin(
                b / bins,
                (b + 1) / bins,
                n,
                float(values[inside].mean()) if n else 0.0,
                float(right[inside].mean()) if n else 0.0,
            )
        )
    return table


def expected_calibration_error(table: Sequence[Bin]) -> float:
    """The span-weighted mean of |mean score - share right| over the bins."""
    total = sum(b.spans for b in table)
    return sum(b.spans * abs(b.mean_score - b.right) for b in table) / total if total else 0.0


def print_reliability(title: str, table: Sequence[Bin]) -> None:
    """Print a reliability table and its expected calibration error (the benchmarks' format)."""
    print(f"\n{title}: expected calibration error {expected_calibration_error(table):.3f}")
    print("score bin | spans | mean score | share right")
    for b in table:
        print(f"{b.low:.1f}-{b.high:.1f} | {b.spans} | {b.mean_score:.3f} | {b.right:.3f}")


def cross_fitted(
    articles: Sequence[str],
    scores: Sequence[float],
    hits: Sequence[bool],
    parts: Sequence[set[str]],
) -> list[float]:
    """Each span's calibrated score from a map fitted on the other parts' spans (``parts``:
    disjoint sets of article ids), so that measuring it is measuring held-out calibration."""
    calibrated = [0.0] * len(scores)
    for part in parts:
        inside = [i for i, a in enumerate(articles) if a in part]
        outside = [i for i, a in enumerate(articles) if a not in part]
        curve = Calibration.fit([scores[i] for i in outside], [hits[i] for i in outside])
        for i in inside:
            calibrated[i] = curve(scores[i])
    return calibrated
