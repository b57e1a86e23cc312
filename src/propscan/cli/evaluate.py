"""``propscan evaluate``: cross-validation of a recipe, or a hold-out model scored on its fold."""

from __future__ import annotations

import json
import logging
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from propscan.cli.common import errors_as_exit, stderr, stdout_console, taxonomy_option
from propscan.cli.recipe_options import (
    check_recipe,
    recipe_options,
    teacher_encoder_dir,
    unlabelled_sample,
)
from propscan.cli.tables import technique_table
from propscan.errors import InputError
from propscan.model.bundle import load_model
from propscan.tasks.ptc import Corpus, read_corpus
from propscan.tasks.scoring import Report
from propscan.techniques import TAXONOMIES, TaxonomyKey

if TYPE_CHECKING:
    from propscan.train.evaluation import Evaluation
    from propscan.train.semeval2023_cv import FoldResult

from propscan.cli.common import KINDS


@click.command(name="evaluate")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="transformer-onnx",
    show_default=True,
    help="The recipe to cross-validate (transformer-onnx needs the train extra).",
)
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the fold split.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Folds run at once (crf-linear).",
)
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("propscan-cv"),
    show_default=True,
    help="Where transformer-onnx folds keep their models and predictions; a run resumes there.",
)
@click.option(
    "--encoder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Pretrained encoder folder for transformer-onnx (default: all-MiniLM-L6-v2; "
    "all-mpnet-base-v2 for --recipe teacher; a distilled recipe's students use this one).",
)
@click.option(
    "--model",
    "model_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Score this model (trained with --hold-out-fold) on its held-out articles "
    "instead of cross-validating a recipe.",
)
@click.option(
    "--all-articles",
    is_flag=True,
    help="With --model: score it on every article of CORPUS_DIR, e.g. a folder of reviewed "
    "articles from 'propscan export --format ptc --reviewed'.",
)
@click.option(
    "--task",
    type=click.Choice(["all", "tc", "roles"]),
    default="all",
    show_default=True,
    help="tc: cross-validate the technique classifier alone on the gold spans (faster), "
    "comparing its decision rules, the joint Repetition decider among them. roles: the "
    "entity-role model on a language folder of SemEval-2025 Task 10 (e.g. "
    "../shared/entity-framing/EN), by cross-validation over documents or, with --model, a "
    "trained role model.",
)
@click.option(
    "--occurrence-input",
    is_flag=True,
    help="With --task tc: train the classifier with a note of how often each span recurs in "
    "its input (an experimental recipe change; the bundled model has none).",
)
@recipe_options
@taxonomy_option
def evaluate_command(
    corpus_dir: Path,
    kind: str,
    folds: int,
    seed: int,
    jobs: int,
    work_dir: Path,
    encoder: Path | None,
    model_dir: Path | None,
    all_articles: bool,
    task: str,
    occurrence_input: bool,
    recipe: str,
    unlabelled: Path | None,
    unlabelled_count: int,
    taxonomy: TaxonomyKey,
) -> None:
    """Print held-out SemEval-2020 scores: k-fold cross-validation of a training recipe,
    or one trained model on the articles it was not trained on.

    In cross-validation each fold's model is trained on the other folds' articles only, and
    every decoding threshold is tuned on articles of those training folds. The table gives the
    mean ± standard deviation over folds; the per-technique table pools every fold's held-out
    predictions.

    Example:

    \b
        propscan evaluate ../shared/ptc --folds 5
        propscan evaluate ../shared/ptc --recipe distilled --unlabelled news.jsonl
        propscan evaluate ../shared/ptc --kind crf-linear --folds 5 --jobs 2
        propscan evaluate ../shared/ptc --model tf
        propscan evaluate reviewed-ptc --model tf --all-articles
        propscan evaluate ../shared/semeval2023-en --taxonomy semeval2023 --folds 5
        propscan evaluate ../shared/ptc --task tc --folds 5
        propscan evaluate ../shared/entity-framing/EN --task roles --folds 5
        propscan evaluate ../shared/semeval2023-multilingual --model my-multilingual

    With --taxonomy semeval2023, CORPUS_DIR is a SemEval-2023 release: the span scores are in
    2023 labels, and the subtask-3 paragraph scores (micro- and macro-F1) of the paragraph
    decision and of the union of spans are added. Cross-validation reuses the fold models a
    transformer-onnx cross-validation left in --work-dir (same --folds and --seed).

    A folder of the multilingual SemEval-2023 release (or one of its language folders), or a
    model that names SemEval-2023 techniques itself (the multilingual model), is scored
    language by language on the articles of each language the model held out (train it with
    'propscan train … --task multilingual --hold-out-fold 0'); cross-validating that recipe
    takes too long for 2 cores.
    """
    check_recipe(recipe, kind, unlabelled)
    if recipe != "student" and (task != "all" or taxonomy != "ptc2020" or model_dir):
        raise click.UsageError(
            f"--recipe {recipe} cross-validates the techniques model on a PTC release: "
            "leave out --task, --taxonomy and --model"
        )
    if task == "roles":
        from propscan.cli.evaluate_roles import evaluate_roles

        evaluate_roles(corpus_dir, folds, seed, work_dir, encoder, model_dir)
        return
    if task == "tc":
        from propscan.cli.evaluate_tc import evaluate_classifier

        if model_dir is not None or taxonomy != "ptc2020" or kind != "transformer-onnx":
            with errors_as_exit():
                raise InputError(
                    "--task tc cross-validates the transformer-onnx classifier on a PTC "
                    "release: leave out --model, --kind and --taxonomy"
                )

        evaluate_classifier(corpus_dir, folds, seed, work_dir, encoder, occurrence_input)
        return
    if _per_language(corpus_dir, model_dir):
        from propscan.cli.evaluate_languages import evaluate_languages

        evaluate_languages(corpus_dir, model_dir, all_articles)
        return
    if taxonomy == "semeval2023":
        _evaluate_semeval2023(corpus_dir, folds, seed, work_dir, encoder, model_dir, all_articles)
        return
    with errors_as_exit():
        corpus = read_corpus(corpus_dir)
        if all_articles and model_dir is None:
            raise InputError("--all-articles scores a model: give --model MODEL too")
        if model_dir is None and folds > len(corpus.articles):
            raise InputError(f"--folds {folds} is more than the {len(corpus.articles)} articles")
        if model_dir is not None and all_articles:
            result, title = _evaluate_on_all(corpus, model_dir)
            per_fold: list[Evaluation] = [result]
        elif model_dir is not None:
            result, title = _evaluate_model(corpus, model_dir)
            per_fold = [result]
        elif kind == "crf-linear":
            per_fold, result = _cross_validate(corpus, folds, seed, jobs)
            title = f"crf-linear: {folds}-fold cross-validation, {len(corpus.articles)} articles"
        else:
            per_fold, result, taught = _cross_validate_transformer(
                corpus, folds, seed, work_dir, encoder, recipe, unlabelled, unlabelled_count
            )
            title = (
                f"transformer-onnx, recipe {recipe}: {folds}-fold cross-validation over "
                f"{len(corpus.articles)} articles"
                + (f" (and {taught} teacher-labelled)" if taught else "")
            )
    console = stdout_console()
    console.print(title, highlight=False)
    console.print(_summary_table(per_fold, result))
    console.print(technique_table(result.tc, result.full))


def _per_language(corpus_dir: Path, model_dir: Path | None) -> bool:
    """Whether to score language by language: a folder of the multilingual SemEval-2023
    release, or a model that names SemEval-2023 techniques itself."""
    from propscan.tasks.semeval2023 import is_language_folder

    if is_language_folder(corpus_dir) or any(
        is_language_folder(p) for p in corpus_dir.iterdir() if p.is_dir()
    ):
        return True
    if model_dir is None:
        return False
    with errors_as_exit():
        return load_model(model_dir).taxonomy == "semeval2023"


def _summary_table(per_fold: Sequence[Evaluation], pooled: Evaluation) -> Table:
    """Scores of the pooled predictions, and with several folds the mean ± std of their F1."""
    table = Table()
    several = len(per_fold) > 1
    columns = ["task", "precision", "recall", "F1"]
    if several:
        columns.append("F1 per fold")
    for column in columns:
        table.add_column(column, justify="right" if column != "task" else "left", no_wrap=True)
    for name, task in (
        ("SI (spans)", "si"),
        ("TC (gold spans)", "tc"),
        ("full task", "full"),
    ):
        o = getattr(pooled, task).overall
        row = [name, f"{o.precision:.4f}", f"{o.recall:.4f}", f"{o.f1:.4f}"]
        if several:
            values = [getattr(fold, task).overall.f1 for fold in per_fold]
            row.append(f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}")
        table.add_row(*row)
    return table


def _evaluate_model(corpus: Corpus, model_dir: Path) -> tuple[Evaluation, str]:
    from propscan.train import evaluation

    model = load_model(model_dir)
    held_out = (model.manifest or {}).get("held_out")
    if not held_out:
        raise InputError(
            f"{model_dir}: this model was trained on every article, so none is left to score "
            "it on; train it with --hold-out-fold, or cross-validate (no --model)"
        )
    seed = int(held_out.get("seed", 0))  # cross-validation folds record none: seed 0
    _, test = evaluation.hold_out(corpus, held_out["fold"], held_out["folds"], seed)
    seen = [a.id for a in test.articles if model.trained_on(a.text)]
    if seen:
        raise InputError(
            f"{model_dir}: {len(seen)} of the articles this fold holds out now were among its "
            "training articles (it was trained on folds split another way, e.g. before folds "
            "kept near-duplicates together): no held-out score can be given"
        )
    if held_out.get("split") != evaluation.SPLIT and not model.training_hashes:
        stderr.print(
            f"warning: {model_dir} does not record how its fold was split; if an older propscan "
            "trained it, its held-out articles were chosen another way and these scores may "
            "include training articles",
            highlight=False,
        )
    with stderr.status(f"analysing {len(test.articles)} held-out articles…"):
        predictions = evaluation.predict(model, test)
    title = (
        f"{model.name} on fold {held_out['fold']} of {held_out['folds']} "
        f"(seed {seed}): {len(test.articles)} held-out articles"
    )
    return evaluation.evaluate(test, predictions), title


def _evaluate_on_all(corpus: Corpus, model_dir: Path) -> tuple[Evaluation, str]:
    from propscan.train import evaluation

    model = load_model(model_dir)
    with stderr.status(f"analysing {len(corpus.articles)} articles…"):
        predictions = evaluation.predict(model, corpus)
    title = f"{model.name} on all {len(corpus.articles)} articles"
    return evaluation.evaluate(corpus, predictions), title


def _cross_validate(
    corpus: Corpus, folds: int, seed: int, jobs: int
) -> tuple[list[Evaluation], Evaluation]:
    from propscan.train import linear

    per_fold: list[Evaluation] = []
    with Progress(
        TextColumn("cross-validating"), BarColumn(), MofNCompleteColumn(), console=stderr
    ) as progress:
        task = progress.add_task("folds", total=folds)
        pooled = linear.cross_validate(
            corpus,
            k=folds,
            seed=seed,
            jobs=jobs,
            on_fold_done=lambda _: progress.advance(task),
            on_fold_scored=per_fold.append,
        )
    return per_fold, pooled


def _cross_validate_transformer(
    corpus: Corpus,
    folds: int,
    seed: int,
    work_dir: Path,
    encoder: Path | None,
    recipe: str,
    unlabelled: Path | None,
    unlabelled_count: int,
) -> tuple[list[Evaluation], Evaluation, int]:
    """Cross-validate a transformer recipe; also returns how many articles a teacher labelled."""
    try:
        from propscan.train.distillation import Teaching
        from propscan.train.transformer import TEACHER_RECIPE, default_encoder
        from propscan.train.transformer_cv import cross_validate_transformer
    except ImportError as error:
        raise InputError(
            f"cross-validating a transformer needs the train extra: "
            f"pip install 'propscan[train]' ({error})"
        ) from error
    sample = unlabelled_sample(unlabelled, unlabelled_count, corpus) if unlabelled else ()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    teaching = None
    if recipe == "teacher":
        encoder = encoder or teacher_encoder_dir(work_dir)  # unpacked there once, then reused
    elif recipe == "distilled":
        teaching = Teaching(teacher_encoder_dir(work_dir), sample)
    result = cross_validate_transformer(
        corpus,
        work_dir,
        encoder_dir=encoder or default_encoder(),
        k=folds,
        seed=seed,
        config=TEACHER_RECIPE if recipe == "teacher" else None,
        teaching=teaching,
        on_fold_done=lambda fold: stderr.print(f"fold {fold} done ({work_dir}/fold-{fold})"),
    )
    stderr.print(
        "label thresholds chosen on every fold's held-out spans (the recipe's): "
        + json.dumps(result.label_thresholds),
        highlight=False,
    )
    return result.folds, result.pooled, len(sample)


def _evaluate_semeval2023(
    corpus_dir: Path,
    folds: int,
    seed: int,
    work_dir: Path,
    encoder: Path | None,
    model_dir: Path | None,
    all_articles: bool,
) -> None:
    from propscan.pipeline import check_taxonomy
    from propscan.tasks.semeval2023 import read_semeval2023
    from propscan.train import evaluation, semeval2023_cv

    with errors_as_exit():
        corpus = read_semeval2023(corpus_dir)
        if model_dir is not None:
            model = load_model(model_dir)
            check_taxonomy(model, "semeval2023")
            test = corpus
            if not all_articles:
                held_out = (model.manifest or {}).get("semeval2023", {}).get("held_out")
                base = (model.manifest or {}).get("held_out") or {}
                same = held_out and all(held_out[k] == base.get(k) for k in ("fold", "folds"))
                if not same:
                    raise InputError(
                        f"{model_dir}: the model and its SemEval-2023 head must both be trained "
                        "with the same --hold-out-fold to be scored on it (or use --all-articles)"
                    )
                _, test = evaluation.hold_out(
                    corpus, held_out["fold"], held_out["folds"], held_out["seed"]
                )
            with stderr.status(f"analysing {len(test.articles)} articles…"):
                per_fold = [semeval2023_cv.score_semeval2023(model, test)]
            pooled = (per_fold[0].spans, per_fold[0].union, per_fold[0].decision)
            title = f"{model.name} (SemEval-2023 taxonomy) on {len(test.articles)} articles"
        else:
            if folds > len(corpus.articles):
                raise InputError(
                    f"--folds {folds} is more than the {len(corpus.articles)} articles"
                )
            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
            result = semeval2023_cv.cross_validate_semeval2023(
                corpus,
                work_dir,
                k=folds,
                seed=seed,
                encoder_dir=encoder,
                on_fold_done=lambda fold: stderr.print(f"fold {fold} done", highlight=False),
            )
            per_fold = result.folds
            pooled = (result.pooled_spans, result.pooled_union, result.pooled_decision)
            title = (
                f"SemEval-2023 taxonomy: {folds}-fold cross-validation over "
                f"{len(corpus.articles)} articles"
            )
    console = stdout_console()
    console.print(title, highlight=False)
    console.print(_summary_table([f.spans for f in per_fold], pooled[0]))
    console.print(_paragraph_table(per_fold, pooled[1], pooled[2]))
    console.print(technique_table(pooled[0].tc, pooled[0].full, TAXONOMIES["semeval2023"].labels))


def _paragraph_table(per_fold: Sequence[FoldResult], union: Report, decision: Report) -> Table:
    """Subtask-3 scores of both paragraph decisions; with several folds, mean ± std of F1."""
    table = Table(title="paragraphs (SemEval-2023 subtask 3)")
    several = len(per_fold) > 1
    columns = ["decision", "precision", "recall", "micro-F1", "macro-F1"]
    if several:
        columns.append("micro-F1 per fold")
    for column in columns:
        table.add_column(column, justify="left" if column == "decision" else "right")
    for name, pooled, key in (
        ("paragraph thresholds", decision, "decision"),
        ("union of spans", union, "union"),
    ):
        o = pooled.overall
        row = [
            name,
            f"{o.precision:.4f}",
            f"{o.recall:.4f}",
            f"{o.f1:.4f}",
            f"{pooled.macro_f1:.4f}",
        ]
        if several:
            values = [getattr(fold, key).overall.f1 for fold in per_fold]
            row.append(f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}")
        table.add_row(*row)
    return table
