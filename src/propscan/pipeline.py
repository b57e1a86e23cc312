"""Article -> Analysis: detect technique spans, then name the technique of each."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from propscan.article import Analysis, Article, Span
from propscan.model.bundle import Model, load_model


def analyze(article: Article, model: Model | None = None) -> Analysis:
    """Find the technique spans of one article (with the bundled model by default)."""
    model = model or load_model()
    detected = model.tagger.detect(article.text)
    probabilities = model.classifier.probabilities(
        article.text, [(start, end) for start, end, _ in detected]
    )
    labels = model.classifier.labels
    spans = []
    for (start, end, confidence), row in zip(detected, probabilities, strict=True):
        best, runner_up = np.argsort(-row)[:2]
        spans.append(Span(start, end, labels[best], confidence * float(row[best])))
        if model.second_label_ratio and row[runner_up] >= model.second_label_ratio * row[best]:
            spans.append(Span(start, end, labels[runner_up], confidence * float(row[runner_up])))
    return Analysis(article, tuple(spans), model=model.name)


def classify(article: Article, spans: Sequence[tuple[int, int]], model: Model) -> list[Span]:
    """Name the technique of given spans; the k-th copy of a span gets its k-th likeliest label."""
    probabilities = model.classifier.probabilities(article.text, spans)
    labels = model.classifier.labels
    copies: dict[tuple[int, int], int] = {}
    result = []
    for (start, end), row in zip(spans, probabilities, strict=True):
        k = copies.get((start, end), 0)
        copies[(start, end)] = k + 1
        choice = int(np.argsort(-row)[min(k, len(labels) - 1)])
        result.append(Span(start, end, labels[choice], float(row[choice])))
    return result
