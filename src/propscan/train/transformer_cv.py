"""Article-level k-fold cross-validation of the transformer recipe, resumable fold by fold.

Each fold's model is trained by ``train_transformer`` on the other folds' articles only, and its
decodings are tuned on dev articles drawn from those training articles (nested), never on the
fold it is scored on. Fold models and predictions are kept in a work folder, so an interrupted run
resumes where it stopped, and deleting a fold's ``predictions.json`` re-scores its model (after a
change of decoding code) without training it again.

The full-task labels of fold k come from per-technique label thresholds (``label_thresholds``)
chosen on the other folds' held-out spans (cross-fitting), so fold k's gold labels never choose
them; the thresholds chosen on all folds' held-out spans are what the recipe ships.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from propscan.model.bundle import read_model
from propscan.tasks.ptc import Corpus
from propscan.techniques import LABELS
from propscan.train.distillation import Teaching, labelled_by_teacher
from propscan.train.evaluation import SPLIT, Evaluation, Predictions, evaluate, hold_out, predict
from propscan.train.label_thresholds import (
    LABEL_THRESHOLDS,
    Candidate,
    candidates,
    choose_label_thresholds,
    decide,
)
from propscan.train.soft_labels import SoftLabels
from propscan.train.transformer import TransformerConfig, train_transformer

PREDICTIONS = "predictions.json"
CANDIDATES = "candidates.json"
TEACHERS = "teachers"
"""The folder of a distilled cross-validation's fold teachers, inside its work folder."""


@dataclass(frozen=True)
class CrossValidation:
    """Per-fold and pooled scores, the decodings each fold chose on its dev articles, and the
    label thresholds chosen on every fold's held-out spans (what a model trained on all
    articles should use)."""

    folds: list[Evaluation]
    pooled: Evaluation
    decodings: list[dict[str, Any]]
    label_thresholds: dict[str, float]

    def mean_std(self, task: str) -> tuple[float, float]:
        """Mean and standard deviation over folds of one task's F1 (``si``, ``tc``, ``full``)."""
        values = [getattr(fold, task).overall.f1 for fold in self.folds]
        return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def cross_validate_transformer(
    corpus: Corpus,
    work_dir: Path,
    *,
    encoder_dir: Path,
    k: int = 5,
    seed: int = 0,
    config: TransformerConfig | None = None,
    teaching: Teaching | None = None,
    on_fold_done: Callable[[int], None] = lambda _: None,
) -> CrossValidation:
    """Train (or reuse) one model per fold in ``work_dir/fold-N`` and score its held-out fold.

    With ``teaching``, each fold first trains a teacher on its training articles (in
    ``work_dir/teachers/fold-N``, scored there too), which labels the unlabelled articles
    (kept in ``work_dir/fold-N``); the fold's model is its student, and ``config`` is unused."""
    if not 2 <= k <= len(corpus.articles):
        raise ValueError(f"--folds must be between 2 and the number of articles, not {k}")
    runs = []
    for fold in range(k):
        pseudo = None
        if teaching is not None:
            teachers = work_dir / TEACHERS
            run_fold(
                corpus,
                teachers,
                fold,
                encoder_dir=teaching.encoder_dir,
                k=k,
                seed=seed,
                config=teaching.teacher,
            )
            pseudo, _ = labelled_by_teacher(
                teachers / f"fold-{fold}" / "model", teaching.unlabelled, work_dir / f"fold-{fold}"
            )
            config = teaching.student
        runs.append(
            run_fold(
                corpus,
                work_dir,
                fold,
                encoder_dir=encoder_dir,
                k=k,
                seed=seed,
                config=config or TransformerConfig(),
                pseudo=pseudo,
            )
        )
        on_fold_done(fold)
    folds, decodings = [], []
    pooled = Predictions([], [], [])
    for fold, (test_part, predictions, decoding, found) in enumerate(runs):
        thresholds = _cross_fitted(runs, fold, corpus, work_dir / f"fold-{fold}")
        decided = replace(predictions, full=decide(found, LABELS, thresholds))
        folds.append(evaluate(test_part, decided))
        decodings.append({**decoding, "label_thresholds": thresholds})
        for task in _TASKS:
            getattr(pooled, task).extend(getattr(decided, task))
    every = [c for run in runs for c in run[3]]
    chosen = choose_label_thresholds(every, corpus.labels, LABELS)
    finite = {label: t for label, t in chosen.items() if t != float("inf")}
    return CrossValidation(folds, evaluate(corpus, pooled), decodings, finite)


FoldRun = tuple[Corpus, Predictions, dict[str, Any], list[Candidate]]
"""A fold's held-out articles, predictions, chosen decodings and detected spans."""


def run_fold(
    corpus: Corpus,
    work_dir: Path,
    fold: int,
    *,
    encoder_dir: Path,
    k: int = 5,
    seed: int = 0,
    config: TransformerConfig | None = None,
    pseudo: Corpus | None = None,
    soft: SoftLabels | None = None,
    pseudo_spans: Corpus | None = None,
) -> FoldRun:
    """Train (or reuse) fold ``fold``'s model in ``work_dir/fold-N`` and predict its held-out
    articles; folds are independent, so separate processes may run them at once. ``pseudo``:
    teacher-labelled articles trained on beside the fold's training articles (``soft``: the
    teacher's probabilities on them, learnt instead of its spans; ``pseudo_spans``: its spans
    under its span-finding decoding, for the tagger)."""
    train_part, test_part = hold_out(corpus, fold, k, seed)
    fold_dir = work_dir / f"fold-{fold}"
    predictions, decoding = _fold_predictions(
        train_part,
        test_part,
        fold_dir,
        encoder_dir,
        config or TransformerConfig(),
        {"fold": fold, "folds": k, "seed": seed, "split": SPLIT},
        pseudo,
        soft,
        pseudo_spans,
    )
    return test_part, predictions, decoding, _fold_candidates(test_part, fold_dir)


def _fold_candidates(test_part: Corpus, fold_dir: Path) -> list[Candidate]:
    """The fold model's detected spans with probabilities on its held-out articles (saved)."""
    saved = fold_dir / CANDIDATES
    if saved.exists():
        return [tuple(row) for row in json.loads(saved.read_text(encoding="utf-8"))]  # type: ignore[misc]
    found = candidates(read_model(fold_dir / "model"), test_part)
    saved.write_text(json.dumps(found), encoding="utf-8")
    return found


def _cross_fitted(
    runs: list[FoldRun],
    fold: int,
    corpus: Corpus,
    fold_dir: Path,
) -> dict[str, float]:
    """Label thresholds for one fold, chosen on the other folds' held-out spans only (saved
    in ``label-thresholds.json``, which the SemEval-2023 cross-validation reads too)."""
    saved = fold_dir / LABEL_THRESHOLDS
    if saved.exists():
        return dict(json.loads(saved.read_text(encoding="utf-8")))
    others = [c for j, run in enumerate(runs) if j != fold for c in run[3]]
    held_out = {a.id for a in runs[fold][0].articles}
    gold = [label for label in corpus.labels if label[0] not in held_out]
    chosen = choose_label_thresholds(others, gold, LABELS)
    finite = {label: t for label, t in chosen.items() if t != float("inf")}
    fold_dir.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(finite), encoding="utf-8")
    return finite


def _fold_predictions(
    train_part: Corpus,
    test_part: Corpus,
    fold_dir: Path,
    encoder_dir: Path,
    config: TransformerConfig,
    fold: dict[str, int | str],
    pseudo: Corpus | None = None,
    soft: SoftLabels | None = None,
    pseudo_spans: Corpus | None = None,
) -> tuple[Predictions, dict[str, Any]]:
    """The fold's held-out predictions and chosen decodings: from disk, or trained and saved."""
    saved = fold_dir / PREDICTIONS
    if saved.exists():
        data = json.loads(saved.read_text(encoding="utf-8"))
        return Predictions(**{key: [tuple(row) for row in data[key]] for key in _TASKS}), data[
            "decoding"
        ]
    model_dir = fold_dir / "model"
    if not (model_dir / "manifest.json").exists():
        train_transformer(
            train_part,
            model_dir,
            encoder_dir=encoder_dir,
            config=config,
            held_out={**fold, "articles": len(test_part.articles)},
            pseudo=pseudo,
            soft=soft,
            pseudo_spans=pseudo_spans,
        )
    model = read_model(model_dir)
    predictions = predict(model, test_part)
    manifest = model.manifest or {}
    decoding = {
        "si": {key: manifest["si"][key] for key in ("threshold", "max_gap", "min_chars")},
        "labelled": manifest["si"].get("labelled"),
        "second_label_ratio": manifest.get("second_label_ratio"),
        "prior_power": manifest["tc"].get("prior_power"),
        "repetition_boost": manifest["tc"].get("repetition_boost"),
    }
    saved.write_text(json.dumps({**asdict(predictions), "decoding": decoding}), encoding="utf-8")
    return predictions, decoding


_TASKS = ("spans", "techniques_on_gold", "full")
