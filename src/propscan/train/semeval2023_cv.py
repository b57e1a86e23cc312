"""Article-level k-fold cross-validation in the SemEval-2023 taxonomy: span scores (SI, TC,
full task) in 2023 labels, and subtask-3 paragraph scores of the union of spans and of the
paragraph decision.

Fold ``k`` reuses the PTC-2020 model in ``work_dir/fold-k/model`` and its cross-fitted label
thresholds when the transformer cross-validation (``transformer_cv``, same folds and seed) left
them there; otherwise it trains
one on the fold's training articles with their 2023 labels mapped to the PTC classes. The
2023 head is always fitted on the fold's training articles. The paragraph thresholds scored on
fold ``k`` are chosen on the other folds' held-out line scores (cross-fitting), so no fold's
scores rest on its own gold labels.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from propscan.model.bundle import Model, read_model
from propscan.tasks.paragraphs import LineScores, article_line_scores, decide_lines
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import Report, paragraph_labels, score_paragraphs
from propscan.techniques import SEMEVAL2023, SEMEVAL2023_TO_PTC2020
from propscan.train.evaluation import Evaluation, Predictions, evaluate, hold_out, predict
from propscan.train.label_thresholds import LABEL_THRESHOLDS
from propscan.train.paragraph_thresholds import choose_thresholds, line_matrices
from propscan.train.semeval2023_head import train_semeval2023_head

if TYPE_CHECKING:
    from propscan.train.transformer import TransformerConfig

PREDICTIONS = "semeval2023-predictions.json"


@dataclass(frozen=True)
class FoldResult:
    """One fold's held-out scores in the 2023 taxonomy."""

    spans: Evaluation
    union: Report
    decision: Report
    thresholds: dict[str, float]


@dataclass(frozen=True)
class Semeval2023CrossValidation:
    """Per-fold and pooled scores; ``thresholds`` are chosen on every fold's line scores (what
    a model trained on all articles should use)."""

    folds: list[FoldResult]
    pooled_spans: Evaluation
    pooled_union: Report
    pooled_decision: Report
    thresholds: dict[str, float]

    def mean_std(self, values: list[float]) -> tuple[float, float]:
        return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def to_ptc2020(corpus: Corpus) -> Corpus:
    """The corpus with its 2023 labels renamed to their PTC classes (spans of a technique with
    no PTC class are left out)."""
    labels = tuple(
        (aid, parent, start, end)
        for aid, technique, start, end in corpus.labels
        if (parent := SEMEVAL2023_TO_PTC2020[technique]) is not None
    )
    return Corpus(corpus.articles, labels)


def cross_validate_semeval2023(
    corpus: Corpus,
    work_dir: Path,
    *,
    k: int = 5,
    seed: int = 0,
    encoder_dir: Path | None = None,
    config: TransformerConfig | None = None,
    on_fold_done: Callable[[int], None] = lambda _: None,
) -> Semeval2023CrossValidation:
    """Score every fold (reusing what ``work_dir`` holds), then pool."""
    parts = [hold_out(corpus, fold, k, seed) for fold in range(k)]
    runs = []
    for fold, (train, test) in enumerate(parts):
        runs.append(_fold_run(train, test, work_dir / f"fold-{fold}", encoder_dir, config, fold, k))
        on_fold_done(fold)
    labels = SEMEVAL2023.labels
    gold = corpus.paragraphs
    results = []
    every_decided = []
    for fold, (predictions, scores) in enumerate(runs):
        others = {a: s for j, (_, other) in enumerate(runs) if j != fold for a, s in other.items()}
        thresholds = choose_thresholds(*line_matrices(others, gold, labels), labels)
        decided = _decided(scores, labels, thresholds)
        every_decided += decided
        test = parts[fold][1]
        results.append(
            FoldResult(
                evaluate(test, predictions),
                score_paragraphs(test.paragraphs, _union(test, predictions)),
                score_paragraphs(test.paragraphs, decided),
                thresholds,
            )
        )
    pooled = Predictions(
        *([row for predictions, _ in runs for row in getattr(predictions, task)] for task in _TASKS)
    )
    all_scores = {a: s for _, scores in runs for a, s in scores.items()}
    return Semeval2023CrossValidation(
        results,
        evaluate(corpus, pooled),
        score_paragraphs(gold, _union(corpus, pooled)),
        score_paragraphs(gold, every_decided),
        choose_thresholds(*line_matrices(all_scores, gold, labels), labels),
    )


def _fold_label_thresholds(fold_dir: Path) -> dict[str, float] | None:
    """The fold's cross-fitted label thresholds that the transformer cross-validation saved
    (None: there are none, and spans take their likeliest technique)."""
    saved = fold_dir / LABEL_THRESHOLDS
    if not saved.exists():
        return None
    return {label: float(t) for label, t in json.loads(saved.read_text(encoding="utf-8")).items()}


def predict_semeval2023(
    model: Model, test_part: Corpus
) -> tuple[Predictions, dict[str, LineScores]]:
    """A model's span predictions in 2023 labels and its line scores, article by article."""
    predictions = predict(model, test_part, "semeval2023")
    return predictions, {a.id: article_line_scores(a, model)[0] for a in test_part.articles}


def score_semeval2023(model: Model, test_part: Corpus) -> FoldResult:
    """Held-out scores of a model with a 2023 head; the paragraph decision uses its head's
    thresholds."""
    assert model.semeval2023 is not None
    predictions, scores = predict_semeval2023(model, test_part)
    thresholds = model.semeval2023.paragraph_thresholds
    return FoldResult(
        evaluate(test_part, predictions),
        score_paragraphs(test_part.paragraphs, _union(test_part, predictions)),
        score_paragraphs(
            test_part.paragraphs, _decided(scores, model.semeval2023.labels, thresholds)
        ),
        thresholds,
    )


def _union(corpus: Corpus, predictions: Predictions) -> list[tuple[str, int, str]]:
    texts = {article.id: article.text for article in corpus.articles}
    return paragraph_labels(texts, predictions.full)


def _decided(
    scores: dict[str, LineScores], labels: tuple[str, ...], thresholds: dict[str, float]
) -> list[tuple[str, int, str]]:
    return [
        (article, number, technique)
        for article, lines in scores.items()
        for number, techniques in decide_lines(lines, labels, thresholds)
        for technique in techniques
    ]


def _fold_run(
    train_part: Corpus,
    test_part: Corpus,
    fold_dir: Path,
    encoder_dir: Path | None,
    config: TransformerConfig | None,
    fold: int,
    k: int,
) -> tuple[Predictions, dict[str, LineScores]]:
    """The fold's held-out predictions and line scores in 2023 labels: from disk, or computed."""
    saved = fold_dir / PREDICTIONS
    if saved.exists():
        data = json.loads(saved.read_text(encoding="utf-8"))
        predictions = Predictions(**{task: [tuple(row) for row in data[task]] for task in _TASKS})
        scores = {
            article: [(number, np.asarray(row)) for number, row in lines]
            for article, lines in data["line_scores"].items()
        }
        return predictions, scores
    model_dir = fold_dir / "model"
    if not (model_dir / "manifest.json").exists():
        from propscan.train.transformer import TransformerConfig, default_encoder, train_transformer

        train_transformer(
            to_ptc2020(train_part),
            model_dir,
            encoder_dir=encoder_dir or default_encoder(),
            config=config or TransformerConfig(),
            held_out={"fold": fold, "folds": k, "articles": len(test_part.articles)},
        )
    model = replace(
        read_model(model_dir),
        semeval2023=train_semeval2023_head(train_part),
        label_thresholds=_fold_label_thresholds(fold_dir),
    )
    predictions, scores = predict_semeval2023(model, test_part)
    saved.write_text(
        json.dumps(
            {
                **asdict(predictions),
                "line_scores": {
                    article: [(number, np.round(row, 5).tolist()) for number, row in lines]
                    for article, lines in scores.items()
                },
            }
        ),
        encoding="utf-8",
    )
    return predictions, scores


_TASKS = ("spans", "techniques_on_gold", "full")
