"""Article -> Analysis: detect technique spans, then name the technique of each, in the
taxonomy asked for."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial

import numpy as np
from numpy.typing import NDArray

from propscan.article import Analysis, Article, Span
from propscan.cores import available_cores
from propscan.errors import ModelNotFound
from propscan.model.bundle import Model, load_model
from propscan.techniques import (
    LABELS,
    SEMEVAL2023,
    SEMEVAL2023_TO_PTC2020,
    TECHNIQUES,
    TaxonomyKey,
)
from propscan.text.language import detect_language, is_untested
from propscan.text.segment import blocks

STORED_TAXONOMY: TaxonomyKey = "ptc2020"
"""The taxonomy a corpus store keeps, whichever model analysed an article (the review loop and
retraining use it); the views show the 2023 names through the model's mapping."""

BLOCK_CHARS = 50_000
"""Texts longer than this are analysed in blocks (every PTC training article is shorter)."""


def analyze(
    article: Article,
    model: Model | None = None,
    taxonomy: TaxonomyKey | None = None,
    *,
    on_progress: Callable[[int], None] | None = None,
    language: str | None = None,
) -> Analysis:
    """Find the technique spans of one article (with the bundled models by default);
    ``on_progress`` is told how many characters each block analysed had, as it finishes (a long
    text is analysed in blocks of about ``BLOCK_CHARS``). The article's ``language`` is
    detected unless given; it chooses the model among ``model`` and its routes
    (``Model.for_language``), and the analysis says when that model was not trained on it.
    ``taxonomy`` None: the chosen model's own (SemEval-2023 names for the multilingual model)."""
    language = language or detect_language(article.text).language
    model = (model or load_model()).for_language(language)
    taxonomy = taxonomy or model.taxonomy
    check_taxonomy(model, taxonomy)
    spans: list[Span] = []
    for first, last in blocks(article.text, BLOCK_CHARS):
        spans.extend(_analyze_block(article.text[first:last], first, model, taxonomy))
        spans.extend(_complement_block(article.text[first:last], first, model, taxonomy))
        if on_progress:
            on_progress(last - first)
    name = model.name
    if taxonomy == "semeval2023" and model.complement is not None:
        name = f"{model.name} + {model.complement.name}"
    return Analysis(
        article,
        tuple(sorted(spans, key=lambda span: (span.start, span.end))),
        name,
        taxonomy,
        in_training_data=model.trained_on(article.text),
        language=language,
        untested_language=is_untested(language, model.languages),
    )


def analyze_many(
    articles: Sequence[Article],
    model: Model | None = None,
    taxonomy: TaxonomyKey | None = None,
    *,
    on_progress: Callable[[int], None] | None = None,
    parallel: int | None = None,
    language: str | None = None,
) -> Iterator[Analysis]:
    """The analyses of ``articles``, in their order. With a thread-safe model, ``parallel``
    articles (default: the cores this process may use) are analysed at once, each model run on
    one core: on 2 cores that doubles the articles per second of one at a time (RESULTS.md)."""
    model = model or load_model()
    if taxonomy is not None:
        for choice in (model, *model.routes):
            check_taxonomy(choice, taxonomy)
    workers = min(parallel or available_cores(), len(articles))
    if workers <= 1 or not all(m.thread_safe for m in (model, *model.routes)):
        for article in articles:
            yield analyze(article, model, taxonomy, on_progress=on_progress, language=language)
        return
    one = partial(
        analyze, model=model, taxonomy=taxonomy, on_progress=on_progress, language=language
    )
    with ThreadPoolExecutor(workers, thread_name_prefix="propscan-analyze") as pool:
        yield from pool.map(one, articles)


def check_taxonomy(model: Model, taxonomy: TaxonomyKey) -> None:
    """Raise ModelNotFound when ``model`` cannot name techniques in ``taxonomy`` (a model of
    the 2023 taxonomy names them in PTC-2020 too, through the mapping between the two)."""
    if taxonomy == "semeval2023" and model.taxonomy == "ptc2020" and model.semeval2023 is None:
        raise ModelNotFound(
            f"the model {model.name} has no SemEval-2023 head; add one with 'propscan train "
            "SEMEVAL2023_DIR --taxonomy semeval2023 --model MODEL_DIR -o OUT_DIR'"
        )


def output_labels(model: Model, taxonomy: TaxonomyKey) -> tuple[str, ...]:
    """The technique labels ``model`` gives in ``taxonomy``."""
    check_taxonomy(model, taxonomy)
    if taxonomy == model.taxonomy:
        return tuple(model.classifier.labels)
    if taxonomy == "ptc2020":
        return LABELS
    assert model.semeval2023 is not None
    return model.semeval2023.labels


def technique_probabilities(
    model: Model, text: str, spans: Sequence[tuple[int, int]], taxonomy: TaxonomyKey
) -> tuple[NDArray[np.float64], tuple[str, ...]]:
    """One row of technique probabilities per span, and the labels of the columns."""
    return _refined(model, text, model.classifier.probabilities(text, spans), spans, taxonomy)


def _refined(
    model: Model,
    text: str,
    ptc_rows: NDArray[np.float64],
    spans: Sequence[tuple[int, int]],
    taxonomy: TaxonomyKey,
) -> tuple[NDArray[np.float64], tuple[str, ...]]:
    """The model's probability rows in ``taxonomy``, and the labels of their columns."""
    labels = tuple(model.classifier.labels)
    if taxonomy == model.taxonomy:
        return ptc_rows, labels
    check_taxonomy(model, taxonomy)
    if taxonomy == "ptc2020":
        return as_ptc2020(ptc_rows, labels), LABELS
    assert model.semeval2023 is not None
    return model.semeval2023.refine(text, spans, ptc_rows, labels), model.semeval2023.labels


def _analyze_block(text: str, offset: int, model: Model, taxonomy: TaxonomyKey) -> list[Span]:
    """The spans of one block of text, with offsets shifted by ``offset``."""
    detected = model.tagger.detect(text)
    probabilities = model.classifier.probabilities(
        text, [(start, end) for start, end, _ in detected]
    )
    labels = model.classifier.labels
    spans = []
    for (start, end, confidence), row in zip(detected, probabilities, strict=True):
        for column in _chosen(model, labels, confidence, row):
            label, share = named_in(model, text, start, end, labels[column], taxonomy)
            if label is None:  # a 2023 technique that PTC-2020 has no class for
                continue
            raw = confidence * float(row[column])
            score = (model.calibration(raw) if model.calibration else raw) * share
            spans.append(Span(start + offset, end + offset, label, score))
    return spans


def _complement_block(text: str, offset: int, model: Model, taxonomy: TaxonomyKey) -> list[Span]:
    """In the 2023 taxonomy, the spans ``model.complement`` finds of the techniques ``model``
    cannot name (none otherwise)."""
    if taxonomy != "semeval2023" or model.complement is None:
        return []
    unnamed = model.unnamed_in_2023
    found = _analyze_block(text, offset, model.complement, taxonomy)
    return [span for span in found if span.technique in unnamed]


def relabelled(analysis: Analysis, model: Model, taxonomy: TaxonomyKey) -> Analysis:
    """A PTC-2020 analysis (a stored one, reviewed or not) in ``taxonomy``: each span keeps its
    place and takes the 2023 technique its PTC class refines into, as ``analyze`` would."""
    if taxonomy == analysis.taxonomy:
        return analysis
    check_taxonomy(model, taxonomy)
    text = analysis.article.text
    spans = []
    for span in analysis.spans:
        label, share = named_in(model, text, span.start, span.end, span.technique, taxonomy)
        spans.append(Span(span.start, span.end, label or span.technique, span.score * share))
    return replace(analysis, spans=tuple(spans), taxonomy=taxonomy)


def over_thresholds(
    labels: Sequence[str],
    confidence: float,
    row: Sequence[float] | NDArray[np.float64],
    thresholds: dict[str, float],
) -> list[int]:
    """The columns whose ``confidence × probability`` reaches their label's threshold (a label
    without one is never given)."""
    limits = np.asarray([thresholds.get(label, np.inf) for label in labels])
    return [int(j) for j in np.flatnonzero(confidence * np.asarray(row) >= limits)]


def _chosen(
    model: Model, labels: Sequence[str], confidence: float, row: NDArray[np.float64]
) -> list[int]:
    """The columns of the techniques a detected span gets: each whose ``confidence ×
    probability`` reaches the model's threshold for it (maybe none), or else the likeliest and
    a close runner-up (``second_label_ratio``)."""
    if model.label_thresholds is not None:
        return over_thresholds(labels, confidence, row, model.label_thresholds)
    best, runner_up = (int(j) for j in np.argsort(-row)[:2])
    chosen = [best]
    if model.second_label_ratio and row[runner_up] >= model.second_label_ratio * row[best]:
        chosen.append(runner_up)
    return chosen


def named_in(
    model: Model, text: str, start: int, end: int, label: str, taxonomy: TaxonomyKey
) -> tuple[str | None, float]:
    """A span's label (PTC-2020, or SemEval-2023 for a model of that taxonomy) in ``taxonomy``:
    the label and the share of its probability (``taxonomy`` must be one the model has, see
    ``check_taxonomy``). A 2023 technique named in PTC-2020 takes its class (None: PTC-2020 has
    none for it)."""
    if label in SEMEVAL2023.techniques and label not in TECHNIQUES:
        return (SEMEVAL2023_TO_PTC2020[label], 1.0) if taxonomy == "ptc2020" else (label, 1.0)
    if taxonomy == "ptc2020" or model.semeval2023 is None:
        return label, 1.0
    return model.semeval2023.relabel(text, start, end, label)


def as_ptc2020(rows: NDArray[np.float64], labels: Sequence[str]) -> NDArray[np.float64]:
    """Rows over SemEval-2023 ``labels`` as rows over the PTC-2020 classes: each class sums
    its 2023 techniques (a technique PTC-2020 has no class for is left out)."""
    ptc = np.zeros((len(rows), len(LABELS)))
    column = {label: j for j, label in enumerate(LABELS)}
    for i, label in enumerate(labels):
        parent = SEMEVAL2023_TO_PTC2020.get(label) or (label if label in column else None)
        if parent is not None:
            ptc[:, column[parent]] += rows[:, i]
    return ptc


def classify(
    article: Article,
    spans: Sequence[tuple[int, int]],
    model: Model,
    taxonomy: TaxonomyKey = "ptc2020",
) -> list[Span]:
    """Name the technique of given spans; the k-th copy of a span gets its k-th likeliest label
    (in the 2023 taxonomy the first is the refinement of the likeliest PTC-2020 class). The
    article's language chooses the model among ``model`` and its routes."""
    model = model.for_language(detect_language(article.text).language)
    ptc = model.classifier.ranked(article.text, spans)
    probabilities, labels = _refined(model, article.text, ptc, spans, taxonomy)
    copies: dict[tuple[int, int], int] = {}
    result = []
    for i, ((start, end), row) in enumerate(zip(spans, probabilities, strict=True)):
        k = copies.get((start, end), 0)
        copies[(start, end)] = k + 1
        order = [labels[int(j)] for j in np.argsort(-row)]
        if taxonomy != "ptc2020":
            top = model.classifier.labels[int(np.argmax(ptc[i]))]
            first = named_in(model, article.text, start, end, top, taxonomy)[0] or order[0]
            order = [first, *(label for label in order if label != first)]
        label = order[min(k, len(order) - 1)]
        result.append(Span(start, end, label, float(row[labels.index(label)])))
    return result
