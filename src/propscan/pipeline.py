"""Article -> Analysis: detect technique spans, then name the technique of each."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from propscan.article import Analysis, Article, Span
from propscan.model.bundle import Model, load_model
from propscan.segment import blocks

BLOCK_CHARS = 50_000
"""Texts longer than this are analysed in blocks (every PTC training article is shorter)."""


def analyze(article: Article, model: Model | None = None) -> Analysis:
    """Find the technique spans of one article (with the bundled model by default)."""
    model = model or load_model()
    spans: list[Span] = []
    for first, last in blocks(article.text, BLOCK_CHARS):
        spans.extend(_analyze_block(article.text[first:last], first, model))
    return Analysis(article, tuple(spans), model=model.name)


def _analyze_block(text: str, offset: int, model: Model) -> list[Span]:
    """The spans of one block of text, with offsets shifted by ``offset``."""
    detected = model.tagger.detect(text)
    probabilities = model.classifier.probabilities(
        text, [(start, end) for start, end, _ in detected]
    )
    labels = model.classifier.labels
    spans = []
    for (start, end, confidence), row in zip(detected, probabilities, strict=True):
        best, runner_up = np.argsort(-row)[:2]
        first, last = start + offset, end + offset
        spans.append(Span(first, last, labels[best], confidence * float(row[best])))
        if model.second_label_ratio and row[runner_up] >= model.second_label_ratio * row[best]:
            spans.append(Span(first, last, labels[runner_up], confidence * float(row[runner_up])))
    return spans


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
