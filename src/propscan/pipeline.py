"""Article -> Analysis: detect technique spans, then name the technique of each, in the
taxonomy asked for."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from propscan.article import Analysis, Article, Span
from propscan.errors import ModelNotFound
from propscan.model.bundle import Model, load_model
from propscan.segment import blocks
from propscan.techniques import TaxonomyKey

BLOCK_CHARS = 50_000
"""Texts longer than this are analysed in blocks (every PTC training article is shorter)."""


def analyze(
    article: Article, model: Model | None = None, taxonomy: TaxonomyKey = "ptc2020"
) -> Analysis:
    """Find the technique spans of one article (with the bundled model by default)."""
    model = model or load_model()
    check_taxonomy(model, taxonomy)
    spans: list[Span] = []
    for first, last in blocks(article.text, BLOCK_CHARS):
        spans.extend(_analyze_block(article.text[first:last], first, model, taxonomy))
    return Analysis(article, tuple(spans), model=model.name, taxonomy=taxonomy)


def check_taxonomy(model: Model, taxonomy: TaxonomyKey) -> None:
    """Raise ModelNotFound when ``model`` cannot name techniques in ``taxonomy``."""
    if taxonomy == "semeval2023" and model.semeval2023 is None:
        raise ModelNotFound(
            f"the model {model.name} has no SemEval-2023 head; add one with 'propscan train "
            "SEMEVAL2023_DIR --taxonomy semeval2023 --model MODEL_DIR -o OUT_DIR'"
        )


def output_labels(model: Model, taxonomy: TaxonomyKey) -> tuple[str, ...]:
    """The technique labels ``model`` gives in ``taxonomy``."""
    check_taxonomy(model, taxonomy)
    if taxonomy == "semeval2023" and model.semeval2023 is not None:
        return model.semeval2023.labels
    return tuple(model.classifier.labels)


def technique_probabilities(
    model: Model, text: str, spans: Sequence[tuple[int, int]], taxonomy: TaxonomyKey
) -> tuple[NDArray[np.float64], tuple[str, ...]]:
    """One row of technique probabilities per span, and the labels of the columns."""
    rows = model.classifier.probabilities(text, spans)
    labels = tuple(model.classifier.labels)
    if taxonomy == "ptc2020":
        return rows, labels
    check_taxonomy(model, taxonomy)
    assert model.semeval2023 is not None
    return model.semeval2023.refine(text, spans, rows, labels), model.semeval2023.labels


def _analyze_block(text: str, offset: int, model: Model, taxonomy: TaxonomyKey) -> list[Span]:
    """The spans of one block of text, with offsets shifted by ``offset``."""
    detected = model.tagger.detect(text)
    probabilities, labels = technique_probabilities(
        model, text, [(start, end) for start, end, _ in detected], taxonomy
    )
    spans = []
    for (start, end, confidence), row in zip(detected, probabilities, strict=True):
        best, runner_up = np.argsort(-row)[:2]
        first, last = start + offset, end + offset
        spans.append(Span(first, last, labels[best], confidence * float(row[best])))
        if model.second_label_ratio and row[runner_up] >= model.second_label_ratio * row[best]:
            spans.append(Span(first, last, labels[runner_up], confidence * float(row[runner_up])))
    return spans


def classify(
    article: Article,
    spans: Sequence[tuple[int, int]],
    model: Model,
    taxonomy: TaxonomyKey = "ptc2020",
) -> list[Span]:
    """Name the technique of given spans; the k-th copy of a span gets its k-th likeliest label."""
    probabilities, labels = technique_probabilities(model, article.text, spans, taxonomy)
    copies: dict[tuple[int, int], int] = {}
    result = []
    for (start, end), row in zip(spans, probabilities, strict=True):
        k = copies.get((start, end), 0)
        copies[(start, end)] = k + 1
        choice = int(np.argsort(-row)[min(k, len(labels) - 1)])
        result.append(Span(start, end, labels[choice], float(row[choice])))
    return result
