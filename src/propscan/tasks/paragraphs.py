"""Techniques per paragraph (a non-empty line), as subtask 3 of SemEval-2023 Task 3 asks.

Two decisions: the *union* gives a line the labels of the detected spans that touch it (what
``scoring.paragraph_rows`` does); the *paragraph decision* scores every technique on every line
as the best ``span confidence × technique probability`` over the spans that touch it, so that
a span's second and third likeliest techniques can count, and keeps the techniques whose score
reaches their threshold (chosen by cross-validation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from propscan.article import Article
from propscan.model.bundle import Model
from propscan.pipeline import BLOCK_CHARS, check_taxonomy, output_labels, technique_probabilities
from propscan.techniques import TaxonomyKey
from propscan.text.language import detect_language
from propscan.text.segment import blocks

LineScores = list[tuple[int, NDArray[np.float64]]]
"""``(line number, one score per technique)`` for every non-empty line of a text."""


def line_scores(
    text: str,
    spans: Sequence[tuple[int, int, float]],
    rows: NDArray[np.float64],
    n_labels: int,
) -> LineScores:
    """Each non-empty line's best ``confidence × probability`` per technique over the spans
    ``(start, end, confidence)`` that touch it (``rows``: their technique probabilities)."""
    scores = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        end = start + len(line)
        if line.strip():
            best = np.zeros(n_labels)
            for (s, e, confidence), row in zip(spans, rows, strict=True):
                if s <= end and e >= start:
                    best = np.maximum(best, confidence * row)
            scores.append((number, best))
        start = end + 1
    return scores


def article_line_scores(
    article: Article, model: Model, taxonomy: TaxonomyKey = "semeval2023"
) -> tuple[LineScores, tuple[str, ...]]:
    """The line scores of one article under ``model`` (or the route its language takes), and
    the labels of their columns."""
    model = model.for_language(detect_language(article.text).language)
    check_taxonomy(model, taxonomy)
    spans: list[tuple[int, int, float]] = []
    row_blocks = []
    for first, last in blocks(article.text, BLOCK_CHARS):
        text = article.text[first:last]
        detected = model.tagger.detect(text)
        rows, _ = technique_probabilities(model, text, [(s, e) for s, e, _ in detected], taxonomy)
        spans.extend((s + first, e + first, c) for s, e, c in detected)
        row_blocks.append(rows)
    labels = output_labels(model, taxonomy)
    rows = np.vstack(row_blocks) if row_blocks else np.zeros((0, len(labels)))
    return line_scores(article.text, spans, rows, len(labels)), labels


def decide_lines(
    scores: LineScores, labels: Sequence[str], thresholds: Mapping[str, float]
) -> list[tuple[int, list[str]]]:
    """Every line with the techniques whose score reaches their threshold (a technique with
    no threshold is never kept)."""
    limit = np.asarray([thresholds.get(label, np.inf) for label in labels])
    return [
        (number, sorted(labels[int(i)] for i in np.flatnonzero(row >= limit)))
        for number, row in scores
    ]
