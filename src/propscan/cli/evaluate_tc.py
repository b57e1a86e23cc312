"""``propscan evaluate --task tc``: the technique classifier alone, by grouped cross-validation,
under each of its decision rules (the joint Repetition decider among them)."""

from __future__ import annotations

import json
import logging
import statistics
from pathlib import Path

from rich.table import Table

from propscan.cli.common import errors_as_exit, stderr, stdout_console
from propscan.errors import InputError
from propscan.model.repetition import REPETITION
from propscan.tasks.ptc import read_corpus
from propscan.tasks.scoring import score_tc
from propscan.techniques import LABELS

DECIDER_FILE = "repetition-decider.json"
"""Where the work folder keeps the decider fitted on every fold's held-out spans."""


def evaluate_classifier(
    corpus_dir: Path,
    folds: int,
    seed: int,
    work_dir: Path,
    encoder: Path | None,
    occurrence_input: bool = False,
) -> None:
    """Train (or reuse) the classifier of each fold, then print each rule set's TC scores
    (``occurrence_input``: folds trained with the recurrence note in their input)."""
    with errors_as_exit():
        try:
            from propscan.train import repetition_decider as rd
            from propscan.train.tc_cv import RAW, cross_validate_classifier
            from propscan.train.transformer import (
                RECIPE_DECODING,
                TransformerConfig,
                default_encoder,
            )
        except ImportError as error:
            raise InputError(
                f"cross-validating the classifier needs the train extra: "
                f"pip install 'propscan[train]' ({error})"
            ) from error
        corpus = read_corpus(corpus_dir)
        if folds > len(corpus.articles):
            raise InputError(f"--folds {folds} is more than the {len(corpus.articles)} articles")
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
        spans = cross_validate_classifier(
            corpus,
            work_dir,
            encoder_dir=encoder or default_encoder(),
            k=folds,
            seed=seed,
            config=TransformerConfig(tc_occurrence_input=occurrence_input),
        )
        _check_recipe(work_dir, folds, occurrence_input)
    texts = {a.id: a.text for a in corpus.articles}
    counts = {
        fold: json.loads((work_dir / f"fold-{fold}" / RAW).read_text(encoding="utf-8"))[
            "class_counts"
        ]
        for fold in range(folds)
    }
    recipe = rd.Rules(
        float(RECIPE_DECODING["tc"]["prior_power"]),
        float(RECIPE_DECODING["tc"]["repetition_boost"]),
    )
    results = rd.cross_fitted_scores(spans, texts, LABELS, counts, recipe)
    gold = rd.gold_labels(spans)
    table = Table(title=f"TC on gold spans: {folds} grouped folds, {len(corpus.articles)} articles")
    for column in ("rules", "TC micro-F1 (mean ± std)", "per fold", "Repetition P", "R", "F1"):
        table.add_column(column, justify="left" if column == "rules" else "right")
    for name in results[0].reports:
        values = [r.reports[name].overall.f1 for r in results]
        pooled = score_tc(gold, [label for r in results for label in r.answers[name]])
        rep = pooled.per_technique[REPETITION]
        table.add_row(
            name,
            f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}",
            " ".join(f"{v:.3f}" for v in values),
            f"{rep.precision:.3f}",
            f"{rep.recall:.3f}",
            f"{rep.f1:.3f}",
        )
    decider = rd.fit_decider(spans, texts, LABELS, counts, recipe)
    settings = {
        "prior_power": recipe.prior_power,
        "repetition_boost": recipe.repetition_boost,
        "repetition_decider": decider.settings(),
    }
    (work_dir / DECIDER_FILE).write_text(json.dumps(settings, indent=1), encoding="utf-8")
    console = stdout_console()
    console.print(table)
    stderr.print(
        f"rules fitted on every fold's held-out spans (what a model trained on all articles "
        f"ships): {work_dir / DECIDER_FILE}",
        highlight=False,
    )


def _check_recipe(work_dir: Path, folds: int, occurrence_input: bool) -> None:
    """Refuse a work folder whose folds were trained with the other input (read back, not
    retrained, they would be scored as the wrong recipe)."""
    from propscan.train.tc_cv import RAW

    for fold in range(folds):
        data = json.loads((work_dir / f"fold-{fold}" / RAW).read_text(encoding="utf-8"))
        trained = bool(data.get("config", {}).get("tc_occurrence_input", False))
        if trained != occurrence_input:
            raise InputError(
                f"{work_dir}/fold-{fold} was trained {'with' if trained else 'without'} "
                "--occurrence-input: use another --work-dir, or give the same option"
            )
