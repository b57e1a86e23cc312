"""Train a model folder from a PTC corpus, and cross-validate the same recipe over articles."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from propscan import __version__
from propscan.article import Article, Span
from propscan.model.bundle import read_model, write_manifest
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


def train(corpus: Corpus, out_dir: Path, config: TrainingConfig = TrainingConfig()) -> None:
    """Fit the span tagger and the technique classifier, and write them to ``out_dir``."""
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
        **asdict(config),
    )


@dataclass(frozen=True)
class Predictions:
    """Held-out predictions for the three SemEval tasks."""

    spans: list[SpanLabel]
    techniques_on_gold: list[TechniqueLabel]
    full: list[TechniqueLabel]


@dataclass(frozen=True)
class CrossValidation:
    """Scores of predictions pooled over every held-out fold."""

    si: Report
    tc: Report
    full: Report
    folds: int


def article_folds(article_ids: Sequence[str], k: int, seed: int = 0) -> list[list[str]]:
    """Split article ids into k folds at random (never splitting an article)."""
    ids = sorted(article_ids)
    random.Random(seed).shuffle(ids)
    return [sorted(ids[i::k]) for i in range(k)]


def predict_held_out(
    train_corpus: Corpus, test_corpus: Corpus, config: TrainingConfig
) -> Predictions:
    """Train on one corpus and predict every task on the other."""
    with tempfile.TemporaryDirectory(prefix="propscan-fold-") as folder:
        train(train_corpus, Path(folder), config)
        model = read_model(Path(folder))
    predictions = Predictions([], [], [])
    for article in test_corpus.articles:
        analysis = analyze(article, model)
        predictions.full.extend(_technique_labels(article, analysis.spans))
        predictions.spans.extend({(article.id, s.start, s.end) for s in analysis.spans})
        gold = [(s, e) for _, _, s, e in test_corpus.labels_by_article[article.id]]
        if gold:
            predictions.techniques_on_gold.extend(
                _technique_labels(article, classify(article, gold, model))
            )
    return predictions


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
) -> CrossValidation:
    """k-fold cross-validation over articles; scores pool the predictions of all folds."""
    if not 2 <= k <= len(corpus.articles):
        raise ValueError(f"--folds must be between 2 and the number of articles, not {k}")
    every_id = [a.id for a in corpus.articles]
    splits = [
        (corpus.subset(set(every_id) - set(held_out)), corpus.subset(held_out))
        for held_out in article_folds(every_id, k, seed)
    ]
    pooled = Predictions([], [], [])
    for number, fold in enumerate(_run_folds(splits, config, jobs), start=1):
        pooled.spans.extend(fold.spans)
        pooled.techniques_on_gold.extend(fold.techniques_on_gold)
        pooled.full.extend(fold.full)
        on_fold_done(number)
    gold_spans = sorted({(a, s, e) for a, _, s, e in corpus.labels})
    return CrossValidation(
        si=score_si(gold_spans, pooled.spans),
        tc=score_tc(corpus.labels, pooled.techniques_on_gold),
        full=score_full(corpus.labels, pooled.full),
        folds=k,
    )
