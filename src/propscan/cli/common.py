"""What the command modules share: stderr, errors as exit status 1, progress bars, options."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from propscan.errors import PropscanError
from propscan.model.bundle import Model, load_model
from propscan.techniques import TAXONOMIES

T = TypeVar("T")
KINDS = ("crf-linear", "transformer-onnx")  # the model kinds that train and evaluate know
stderr = Console(stderr=True, soft_wrap=True)


def stdout_console() -> Console:
    """A console for standard output: wrapped to a terminal's width; to a file or a pipe,
    nothing wrapped and no table cell cut (a script reads whole lines)."""
    if sys.stdout.isatty():
        return Console(highlight=False)
    return Console(highlight=False, soft_wrap=True, width=100_000)


def fail(message: str) -> None:
    """Print 'error: MESSAGE' on stderr."""
    stderr.print(f"[red]error:[/red] {escape(message)}", highlight=False)


@contextmanager
def errors_as_exit() -> Iterator[None]:
    """Turn propscan's own errors into a one-line message and exit status 1."""
    try:
        yield
    except PropscanError as error:
        fail(str(error))
        sys.exit(1)


def progress(items: Sequence[T], label: str) -> Iterator[T]:
    """Iterate with a progress bar on stderr (hidden when stderr is not a terminal)."""
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as bar:
        yield from bar.track(items, total=len(items))


@contextmanager
def text_progress(total_chars: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr (shown on a terminal) over characters analysed, and the
    callback that advances it: it moves inside one long text too, block by block."""
    columns = (
        TextColumn(label),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as bar:
        task = bar.add_task(label, total=total_chars)
        yield lambda chars: bar.advance(task, chars)


model_option = click.option(
    "--model",
    "model_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Model folder made by 'propscan train' (default: the bundled model).",
)
output_option = click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8", lazy=True),
    default="-",
    help="Write here instead of standard output.",
)
taxonomy_option = click.option(
    "--taxonomy",
    type=click.Choice(list(TAXONOMIES)),
    default="ptc2020",
    show_default=True,
    help="ptc2020: the 14 techniques of SemEval-2020 Task 11; semeval2023: the 23 persuasion "
    "techniques in 6 categories of SemEval-2023 Task 3.",
)

own_taxonomy_option = click.option(
    "--taxonomy",
    type=click.Choice(list(TAXONOMIES)),
    default=None,
    help="ptc2020: the 14 techniques of SemEval-2020 Task 11; semeval2023: the 23 persuasion "
    "techniques in 6 categories of SemEval-2023 Task 3. Default: the analysing model's own "
    "(ptc2020 for English, semeval2023 for the other languages).",
)


def model_or_exit(model_dir: Path | None) -> Model:
    """The model in ``model_dir`` (the bundled one for None); exit status 1 if it cannot load."""
    with errors_as_exit():
        return load_model(model_dir)
