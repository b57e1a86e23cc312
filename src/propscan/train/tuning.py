"""Choose a transformer model's span decodings on held-back dev articles (ONNX only, no torch).

First the classifier's ``prior_power`` (how far to undo its class-weighted training) and
``repetition_boost`` (for spans that recur verbatim) are chosen for TC micro-F1 on the dev
articles' gold spans. Then two span decodings are tuned: one for span
F1 alone (the SemEval SI task, ``propscan ptc spans``) and one for spans that also get a technique
(the full task, what ``propscan analyze`` shows), together with the ratio above which a span also
gets its second likeliest technique.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propscan.model import DetectedSpan
from propscan.model.transformer.classifier import OnnxTechniqueClassifier
from propscan.model.transformer.tagger import OnnxSpanTagger
from propscan.model.transformer.text import Decoding, encode
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import TechniqueLabel, score_full, score_si, score_tc


@dataclass(frozen=True)
class Grid:
    """The decoding settings tried."""

    thresholds: Sequence[float]
    max_gaps: Sequence[int]
    min_chars: Sequence[int]
    second_label_ratios: Sequence[float]
    prior_powers: Sequence[float] = (0.0,)
    repetition_boosts: Sequence[float] = (1.0,)

    def decodings(self) -> list[Decoding]:
        """Every combination of threshold, gap and minimum length."""
        return [
            Decoding(t, g, m)
            for t, g, m in itertools.product(self.thresholds, self.max_gaps, self.min_chars)
        ]


def tune_decodings(
    tagger: OnnxSpanTagger, classifier: OnnxTechniqueClassifier, dev: Corpus, grid: Grid
) -> dict[str, Any]:
    """The ``si`` manifest entries (spans-only decoding, ``labelled`` decoding), the
    ``second_label_ratio`` and the ``tc`` ``prior_power`` that score best on ``dev``."""
    tc_scores = _tc_scores(classifier, dev, grid)
    best_tc = max(tc_scores, key=lambda k: tc_scores[k])
    classifier.prior_power, classifier.repetition_boost = best_tc
    cached = []
    for article in dev.articles:
        encoded = encode(tagger.tokenizer, article.text)
        cached.append((article, encoded, tagger.piece_probabilities(article.text, encoded)))
    gold_spans = sorted({(a, s, e) for a, _, s, e in dev.labels})
    technique_rows: dict[tuple[str, int, int], NDArray[np.float64]] = {}

    def rows_of(article_id: str, text: str, spans: list[DetectedSpan]) -> list[NDArray[np.float64]]:
        missing = sorted({(s, e) for s, e, _ in spans if (article_id, s, e) not in technique_rows})
        for (s, e), row in zip(missing, classifier.probabilities(text, missing), strict=True):
            technique_rows[article_id, s, e] = row
        return [technique_rows[article_id, s, e] for s, e, _ in spans]

    si_scores: dict[Decoding, float] = {}
    full_scores: dict[tuple[Decoding, float], float] = {}
    for decoding in grid.decodings():
        found = [(a, decoding.spans(a.text, enc, p)) for a, enc, p in cached]
        si_scores[decoding] = score_si(
            gold_spans, [(a.id, s, e) for a, spans in found for s, e, _ in spans]
        ).overall.f1
        rows = [(a, spans, rows_of(a.id, a.text, spans)) for a, spans in found]
        for ratio in grid.second_label_ratios:
            predicted = [
                label
                for a, spans, article_rows in rows
                for span, row in zip(spans, article_rows, strict=True)
                for label in _labels(a.id, span, row, classifier.labels, ratio)
            ]
            full_scores[decoding, ratio] = score_full(dev.labels, predicted).overall.f1
    best_si = max(si_scores, key=lambda d: si_scores[d])
    best_labelled, ratio = max(full_scores, key=lambda k: full_scores[k])
    return {
        "si": {
            **_settings(best_si),
            "dev_si_f1": round(si_scores[best_si], 4),
            "labelled": {
                **_settings(best_labelled),
                "dev_full_f1": round(full_scores[best_labelled, ratio], 4),
            },
        },
        "second_label_ratio": ratio,
        "tc": {
            "prior_power": classifier.prior_power,
            "repetition_boost": classifier.repetition_boost,
            "dev_tc_f1": round(tc_scores[best_tc], 4),
        },
    }


def _tc_scores(
    classifier: OnnxTechniqueClassifier, dev: Corpus, grid: Grid
) -> dict[tuple[float, float], float]:
    """TC micro-F1 on the dev articles' gold spans for each prior power and Repetition boost."""
    raw = []
    for article in dev.articles:
        spans = [(s, e) for _, _, s, e in dev.labels_by_article[article.id]]
        raw.append((article, spans, classifier.raw_probabilities(article.text, spans)))
    scores = {}
    for power, boost in itertools.product(grid.prior_powers, grid.repetition_boosts):
        classifier.prior_power, classifier.repetition_boost = power, boost
        predicted: list[TechniqueLabel] = []
        for article, spans, rows in raw:
            gated = classifier.decide(rows, article.text, spans)
            copies: dict[tuple[int, int], int] = {}
            for (start, end), row in zip(spans, gated, strict=True):
                k = copies.get((start, end), 0)
                copies[(start, end)] = k + 1
                choice = int(np.argsort(-row)[min(k, len(row) - 1)])
                predicted.append((article.id, classifier.labels[choice], start, end))
        scores[power, boost] = score_tc(dev.labels, predicted).overall.f1
    return scores


def _labels(
    article_id: str,
    span: DetectedSpan,
    row: NDArray[np.float64],
    labels: Sequence[str],
    ratio: float,
) -> list[TechniqueLabel]:
    """The span's likeliest technique, and its second when at least ``ratio`` times as likely."""
    first, second = (int(i) for i in np.argsort(-row)[:2])
    chosen = [first] + ([second] if ratio and row[second] >= ratio * row[first] else [])
    return [(article_id, labels[i], span[0], span[1]) for i in chosen]


def _settings(decoding: Decoding) -> dict[str, Any]:
    return {
        "threshold": decoding.threshold,
        "max_gap": decoding.max_gap,
        "min_chars": decoding.min_chars,
    }
