"""The crf-linear recipe: train a model folder from a PTC corpus, and cross-validate it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from propscan import __version__
from propscan.model.bundle import read_model, write_manifest
from propscan.model.linear.bundle import KIND, SI_FILE
from propscan.model.linear.span_tagger import fit_span_tagger
from propscan.model.linear.technique_classifier import fit_technique_classifier
from propscan.model.training_texts import write_training_hashes
from propscan.tasks.ptc import Corpus
from propscan.train.evaluation import Evaluation, Predictions, evaluate, hold_out, predict


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
    write_training_hashes(out_dir, (a.text for a in corpus.articles))


def predict_held_out(
    train_corpus: Corpus, test_corpus: Corpus, config: TrainingConfig
) -> Predictions:
    """Train on one corpus and predict every task on the other."""
    with tempfile.TemporaryDirectory(prefix="propscan-fold-") as folder:
        train(train_corpus, Path(folder), config)
        model = read_model(Path(folder))
    return predict(model, test_corpus)


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
