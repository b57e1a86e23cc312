"""Held-out evaluation shared by both model families: article folds, predictions, scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import GroupKFold

from propscan.article import Article, Span
from propscan.model.bundle import Model
from propscan.pipeline import analyze, classify
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import Report, SpanLabel, TechniqueLabel, score_full, score_si, score_tc
from propscan.techniques import TaxonomyKey
from propscan.train.grouping import near_duplicate_groups


@dataclass(frozen=True)
class Predictions:
    """Held-out predictions for the three SemEval tasks."""

    spans: list[SpanLabel]
    techniques_on_gold: list[TechniqueLabel]
    full: list[TechniqueLabel]


@dataclass(frozen=True)
class Evaluation:
    """SemEval-2020 scores of held-out predictions."""

    si: Report
    tc: Report
    full: Report


SPLIT = "near-duplicates-grouped"
"""How ``article_folds`` splits, as model manifests record it (``held_out.split``): models made
before folds kept near-duplicates together record no split, and their folds differ."""


def article_folds(articles: Sequence[Article], k: int, seed: int = 0) -> list[list[str]]:
    """Split articles into k folds of article ids, at random but keeping near-duplicate
    articles (``grouping.near_duplicate_groups``) in one fold, with sizes as even as the groups
    allow (scikit-learn's ``GroupKFold``)."""
    ordered = sorted(articles, key=lambda a: a.id)
    groups = near_duplicate_groups(ordered)
    splitter = GroupKFold(n_splits=k, shuffle=True, random_state=seed)
    ids = np.array([a.id for a in ordered])
    return [sorted(ids[test].tolist()) for _, test in splitter.split(ids, groups=groups)]


def hold_out(corpus: Corpus, fold: int, k: int = 5, seed: int = 0) -> tuple[Corpus, Corpus]:
    """(training part, held-out part): fold ``fold`` of ``article_folds(articles, k, seed)``."""
    if not 0 <= fold < k:
        raise ValueError(f"fold must be between 0 and {k - 1}, not {fold}")
    held_out = set(article_folds(corpus.articles, k, seed)[fold])
    return corpus.subset({a.id for a in corpus.articles} - held_out), corpus.subset(held_out)


def predict(
    model: Model,
    test_corpus: Corpus,
    taxonomy: TaxonomyKey = "ptc2020",
    *,
    language: str | None = None,
) -> Predictions:
    """A model's predictions for every task on every article of ``test_corpus``.

    SI spans come from the model's span-only decoding, the full task from ``analyze``. Each
    article goes to the model its language routes to (``language``: detected unless given).
    """
    predictions = Predictions([], [], [])
    for article in test_corpus.articles:
        analysis = analyze(article, model, taxonomy, language=language)
        predictions.full.extend(_technique_labels(article, analysis.spans))
        routed = model.for_language(analysis.language)
        found = routed.tagger.detect(article.text, spans_only=True)
        predictions.spans.extend((article.id, start, end) for start, end, _ in found)
        gold = [(s, e) for _, _, s, e in test_corpus.labels_by_article[article.id]]
        if gold:
            predictions.techniques_on_gold.extend(
                _technique_labels(article, classify(article, gold, model, taxonomy))
            )
    return predictions


def evaluate(corpus: Corpus, predictions: Predictions) -> Evaluation:
    """Score predictions against the gold labels of ``corpus``."""
    gold_spans = sorted({(a, s, e) for a, _, s, e in corpus.labels})
    return Evaluation(
        si=score_si(gold_spans, predictions.spans),
        tc=score_tc(corpus.labels, predictions.techniques_on_gold),
        full=score_full(corpus.labels, predictions.full),
    )


def _technique_labels(article: Article, spans: Sequence[Span]) -> list[TechniqueLabel]:
    return [(article.id, s.technique, s.start, s.end) for s in spans]
