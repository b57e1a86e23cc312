"""Train a model folder from a PTC corpus, and cross-validate the same recipe over articles."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from propscan import __version__
from propscan.article import Article, Span
from propscan.model.bundle import Model, read_model, write_manifest
from propscan.model.crf_bundle import KIND, SI_FILE
from propscan.model.span_tagger import fit_span_tagger
from propscan.model.technique_classifier import fit_technique_classifier
from propscan.pipeline import analyze, classify
from propscan.ptc import Corpus
from propscan.scoring import Report, SpanLabel, TechniqueLabel, score_full, score_si, score_tc


@dataclass(frozen=True)
class TrainingConfig:
    """The recipe: CRF regularisation and decoding threshold, classifier strength."""

    si_c1: float = 0.05
    si_c2: float = 0.05
    si_iterations: int = 100
    si_threshold: float = 0.15
    tc_c: float = 4.0
    second_label_ratio: float = 0.0


def train(
    corpus: Corpus,
    out_dir: Path,
    config: TrainingConfig = TrainingConfig(),
    *,
    held_out: dict[str, Any] | None = None,
) -> None:
    """Fit the span tagger and the technique classifier, and write them to ``out_dir``.

    ``held_out`` (which fold of which split was left out) is recorded in the manifest.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    fit_span_tagger(
        corpus,
        out_dir / SI_FILE,
        c1=config.si_c1,
        c2=config.si_c2,
        iterations=config.si_iterations,
    )
    fit_technique_classifier(corpus, c=config.tc_c).save(out_dir)
    write_manifest(
        out_dir,
        KIND,
        name=f"crf-linear-{__version__}",
        propscan_version=__version__,
        trained_on={"articles": len(corpus.articles), "labels": len(corpus.labels)},
        **({"held_out": held_out} if held_out else {}),
        **asdict(config),
    )


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


def article_folds(article_ids: Sequence[str], k: int, seed: int = 0) -> list[list[str]]:
    """Split article ids into k folds at random (never splitting an article)."""
    ids = sorted(article_ids)
    random.Random(seed).shuffle(ids)
    return [sorted(ids[i::k]) for i in range(k)]


def hold_out(corpus: Corpus, fold: int, k: int = 5, seed: int = 0) -> tuple[Corpus, Corpus]:
    """(training part, held-out part): fold ``fold`` of ``article_folds(ids, k, seed)``."""
    if not 0 <= fold < k:
        raise ValueError(f"fold must be between 0 and {k - 1}, not {fold}")
    every_id = [a.id for a in corpus.articles]
    held_out = set(article_folds(every_id, k, seed)[fold])
    return corpus.subset(set(every_id) - held_out), corpus.subset(held_out)


def predict(model: Model, test_corpus: Corpus) -> Predictions:
    """A model's predictions for every task on every article of ``test_corpus``.

    SI spans come from the model's span-only decoding, the full task from ``analyze``.
    """
    predictions = Predictions([], [], [])
    for article in test_corpus.articles:
        analysis = analyze(article, model)
        predictions.full.extend(_technique_labels(article, analysis.spans))
        found = model.tagger.detect(article.text, spans_only=True)
        predictions.spans.extend((article.id, start, end) for start, end, _ in found)
        gold = [(s, e) for _, _, s, e in test_corpus.labels_by_article[article.id]]
        if gold:
            predictions.techniques_on_gold.extend(
                _technique_labels(article, classify(article, gold, model))
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


def predict_held_out(
    train_corpus: Corpus, test_corpus: Corpus, config: TrainingConfig
) -> Predictions:
    """Train on one corpus and predict every task on the other."""
    with tempfile.TemporaryDirectory(prefix="propscan-fold-") as folder:
        train(train_corpus, Path(folder), config)
        model = read_model(Path(folder))
    return predict(model, test_corpus)


def _technique_labels(article: Article, spans: Sequence[Span]) -> list[TechniqueLabel]:
    return [(article.id, s.technique, s.start, s.end) for s in spans]


def _run_folds(
    splits: list[tuple[Corpus, Corpus]], config: TrainingConfig, jobs: int
) -> Iterator[Predictions]:
    """Each fold's held-out predictions, in order: in this process, or in ``jobs`` processes."""
    if jobs == 1:
        for train_corpus, test_corpus in splits:
            yield predict_held_out(train_corpus, test_corpus, config)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(predict_held_out, tr, te, config) for tr, te in splits]
        for future in futures:
            yield future.result()


def cross_validate(
    corpus: Corpus,
    *,
    k: int = 5,
    seed: int = 0,
    jobs: int = 1,
    config: TrainingConfig = TrainingConfig(),
    on_fold_done: Callable[[int], None] = lambda _: None,
    on_fold_scored: Callable[[Evaluation], None] = lambda _: None,
) -> Evaluation:
    """k-fold cross-validation over articles; scores pool the predictions of all folds.

    ``on_fold_scored`` receives each fold's own scores, for their spread."""
    if not 2 <= k <= len(corpus.articles):
        raise ValueError(f"--folds must be between 2 and the number of articles, not {k}")
    splits = [hold_out(corpus, fold, k, seed) for fold in range(k)]
    pooled = Predictions([], [], [])
    for number, fold_predictions in enumerate(_run_folds(splits, config, jobs), start=1):
        on_fold_scored(evaluate(splits[number - 1][1], fold_predictions))
        pooled.spans.extend(fold_predictions.spans)
        pooled.techniques_on_gold.extend(fold_predictions.techniques_on_gold)
        pooled.full.extend(fold_predictions.full)
        on_fold_done(number)
    return evaluate(corpus, pooled)
