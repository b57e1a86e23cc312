"""Article-level k-fold cross-validation of the transformer recipe, resumable fold by fold.

Each fold's model is trained by ``train_transformer`` on the other folds' articles only, and its
decodings are tuned on dev articles drawn from those training articles (nested), never on the
fold it is scored on. Fold models and predictions are kept in a work folder, so an interrupted run
resumes where it stopped, and deleting a fold's ``predictions.json`` re-scores its model (after a
change of decoding code) without training it again.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from propscan.model.bundle import read_model
from propscan.ptc import Corpus
from propscan.train.evaluation import Evaluation, Predictions, evaluate, hold_out, predict
from propscan.train.transformer import TransformerConfig, train_transformer

PREDICTIONS = "predictions.json"


@dataclass(frozen=True)
class CrossValidation:
    """Per-fold and pooled scores, and the decodings each fold chose on its dev articles."""

    folds: list[Evaluation]
    pooled: Evaluation
    decodings: list[dict[str, Any]]

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
    on_fold_done: Callable[[int], None] = lambda _: None,
) -> CrossValidation:
    """Train (or reuse) one model per fold in ``work_dir/fold-N`` and score its held-out fold."""
    if not 2 <= k <= len(corpus.articles):
        raise ValueError(f"--folds must be between 2 and the number of articles, not {k}")
    config = config or TransformerConfig()
    folds, decodings = [], []
    pooled = Predictions([], [], [])
    for fold in range(k):
        train_part, test_part = hold_out(corpus, fold, k, seed)
        fold_dir = work_dir / f"fold-{fold}"
        predictions, decoding = _fold_predictions(
            train_part, test_part, fold_dir, encoder_dir, config, {"fold": fold, "folds": k}
        )
        folds.append(evaluate(test_part, predictions))
        decodings.append(decoding)
        pooled.spans.extend(predictions.spans)
        pooled.techniques_on_gold.extend(predictions.techniques_on_gold)
        pooled.full.extend(predictions.full)
        on_fold_done(fold)
    return CrossValidation(folds, evaluate(corpus, pooled), decodings)


def _fold_predictions(
    train_part: Corpus,
    test_part: Corpus,
    fold_dir: Path,
    encoder_dir: Path,
    config: TransformerConfig,
    fold: dict[str, int],
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
