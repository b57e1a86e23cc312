"""Per-technique thresholds on ``span confidence × technique probability`` (``Model.
label_thresholds``): which detected spans get which techniques, chosen to maximise the
full-task F1 on held-out predictions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from propscan.model.bundle import Model
from propscan.pipeline import over_thresholds
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import TechniqueLabel, score_full

LABEL_THRESHOLDS = "label-thresholds.json"
"""Where a cross-validation fold's folder keeps the label thresholds chosen for it."""

RECIPE_LABEL_THRESHOLDS: dict[str, float] = {
    "Appeal_to_Authority": 0.3,
    "Appeal_to_fear-prejudice": 0.15,
    "Bandwagon,Reductio_ad_hitlerum": 0.2,
    "Black-and-White_Fallacy": 0.45,
    "Causal_Oversimplification": 0.25,
    "Doubt": 0.15,
    "Exaggeration,Minimisation": 0.5,
    "Flag-Waving": 0.15,
    "Loaded_Language": 0.1,
    "Name_Calling,Labeling": 0.15,
    "Repetition": 0.85,
    "Slogans": 0.3,
    "Thought-terminating_Cliches": 0.55,
    "Whataboutism,Straw_Men,Red_Herring": 0.95,
}
"""The label thresholds of a model trained on every article: those chosen on the held-out spans
of all five grouped folds of the recipe's cross-validation (``propscan evaluate ../shared/ptc
--folds 5``, or ``scripts/cv_parallel.py`` for the same folds at once)."""

Candidate = tuple[str, int, int, float, list[float]]
"""``(article id, start, end, span confidence, probability of each technique)``."""

GRID = (0.0, *(round(0.05 * i, 2) for i in range(1, 20)), np.inf)
"""The thresholds tried for each technique (0: every detected span; inf: never)."""


def candidates(model: Model, corpus: Corpus) -> list[Candidate]:
    """The detected spans of every article of ``corpus`` with their technique probabilities."""
    found: list[Candidate] = []
    for article in corpus.articles:
        detected = model.tagger.detect(article.text)
        rows = model.classifier.probabilities(article.text, [(s, e) for s, e, _ in detected])
        found += [
            (article.id, s, e, c, [float(p) for p in row])
            for (s, e, c), row in zip(detected, rows, strict=True)
        ]
    return found


def decide(
    found: Sequence[Candidate], labels: Sequence[str], thresholds: dict[str, float]
) -> list[TechniqueLabel]:
    """The ``(article, technique, start, end)`` labels the thresholds give, as analysis does."""
    return [
        (article, labels[j], start, end)
        for article, start, end, confidence, row in found
        for j in over_thresholds(labels, confidence, row, thresholds)
    ]


def choose_label_thresholds(
    found: Sequence[Candidate],
    gold: Sequence[TechniqueLabel],
    labels: Sequence[str],
    rounds: int = 2,
) -> dict[str, float]:
    """Coordinate ascent on full-task F1, technique by technique, from every threshold at 0."""
    chosen = dict.fromkeys(labels, 0.0)
    best = score_full(gold, decide(found, labels, chosen)).overall.f1
    for _ in range(rounds):
        for label in labels:
            for value in GRID:
                trial = {**chosen, label: value}
                f1 = score_full(gold, decide(found, labels, trial)).overall.f1
                if f1 > best + 1e-9:
                    best, chosen = f1, trial
    return chosen
