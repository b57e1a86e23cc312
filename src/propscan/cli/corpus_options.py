"""Options the corpus commands share (the store, filters, batch runs), and opening a store.

Nothing here imports the store or the batch runner until a command runs, so that ``--help``
and the commands that need neither start fast."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from propscan.cli.common import fail
from propscan.cores import available_cores
from propscan.errors import PropscanError
from propscan.paths import DB_VARIABLE, default_db_url, sqlite_path
from propscan.techniques import LABELS

if TYPE_CHECKING:
    from propscan.corpus.store import Filters, Store

F = TypeVar("F", bound=Callable[..., Any])
ENGINES = ("local", "ray")


class DbOption(click.Option):
    """``--db``, whose help names the default database as it is when the help is shown."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = (
            "Corpus database: sqlite:///FILE or postgresql://USER:PASSWORD@HOST/DB (or set "
            f"{DB_VARIABLE}). Default: {default_db_url()}, in your data folder."
        )
        return super().get_help_record(ctx)


db_option = click.option("--db", cls=DbOption, envvar=DB_VARIABLE, default=default_db_url)


def corpus_options(command: F) -> F:
    """The options of ``propscan analyze`` that send its results to a corpus store."""
    options = [
        click.option(
            "--db",
            help="Analyse into this corpus database (sqlite:///FILE or postgresql://…), "
            "skipping articles it already holds.",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            default=available_cores(),
            show_default="the cores this process may use",
            help="Processes (or Ray actors) that each load the model once.",
        ),
        click.option(
            "--engine",
            type=click.Choice(ENGINES),
            default="local",
            show_default=True,
            help="'ray' runs on Ray Data (a local instance, or the cluster in RAY_ADDRESS).",
        ),
        click.option(
            "--parquet",
            type=click.Path(dir_okay=False, path_type=Path),
            help="With --engine ray: also write the analyses to this Parquet file.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def filter_options(command: F) -> F:
    """``--source/--technique/--from/--to/--q``: which stored articles a command covers."""
    date = click.DateTime(formats=["%Y-%m-%d"])
    options = [
        click.option("--source", help="Only articles from this source ('(unknown)': none)."),
        click.option(
            "--technique",
            type=click.Choice(LABELS),
            help="Only articles with at least one span of this technique.",
        ),
        click.option("--from", "date_from", type=date, help="Articles dated on or after."),
        click.option("--to", "date_to", type=date, help="Articles dated on or before."),
        click.option("--q", help="Only articles whose title or text has all these words."),
        click.option(
            "--where",
            "conditions",
            multiple=True,
            metavar="NAME=VALUE",
            help="Only articles whose feed field NAME is VALUE (e.g. bias_text=left); repeatable.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def filters_from(
    source: str | None,
    technique: str | None,
    date_from: datetime | None,
    date_to: datetime | None,
    q: str | None,
    conditions: tuple[str, ...] = (),
) -> Filters:
    """The filters the options of ``filter_options`` give."""
    from propscan.corpus.filters import Filters, parse_conditions

    given = Filters(
        source=source,
        technique=technique,
        q=q,
        date_from=date_from.date().isoformat() if date_from else None,
        date_to=date_to.date().isoformat() if date_to else None,
    )
    try:
        return parse_conditions(conditions, given)
    except PropscanError as error:
        raise click.BadParameter(str(error), param_hint="--where") from None


@contextmanager
def open_store(url: str) -> Iterator[Store]:
    """An existing store, or exit 1 with a hint when there is none or it fails."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        fail(f"no corpus at {path}; fill one with 'propscan analyze INPUT --db {url}'")
        sys.exit(1)
    from propscan.corpus.store import Store

    try:
        with Store(url) as store:
            yield store
    except PropscanError as error:
        fail(str(error))
        sys.exit(1)
