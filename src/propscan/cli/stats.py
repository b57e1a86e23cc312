"""``propscan stats``: corpus statistics by technique, category, source, month or review."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, astuple, fields
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from propscan.cli.common import stdout_console
from propscan.cli.corpus_options import (
    db_option,
    filter_options,
    filters_from,
    open_store,
)
from propscan.corpus.store import Filters, StatRow
from propscan.render.segments import describe


@click.command(name="stats")
@db_option
@click.option(
    "--by",
    default="technique",
    show_default=True,
    help="technique, category, voice, speaker, target, entity, source, month, review, or the "
    "name of a field the feed gave (e.g. bias_text). 'category': the 6 categories of SemEval-2023 "
    "(a PTC class counts under the category of most of its 2023 techniques). voice, speaker, "
    "target, entity: of articles analysed with --entities ('entity': each named entity's "
    "mentions, articles, main roles and the techniques aimed at it). 'review': per technique, how "
    "many predictions reviewers accepted, rejected and relabelled, and how many fragments they "
    "added.",
)
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
def stats_command(db: str, by: str, fmt: str, **filter_values: Any) -> None:
    """Count stored articles and technique spans by technique, source, month or a feed's
    field, per article and per 1,000 words with 95% intervals, or how often reviewers agreed
    with the model.

    Intervals come from a bootstrap over articles (the sampled unit), so spans that cluster
    in a few long articles widen them.

    Example:

    \b
        propscan stats --db sqlite:///corpus.db --by technique
        propscan stats --db sqlite:///corpus.db --by bias_text --where topic=elections
        propscan stats --db sqlite:///corpus.db --by month --q election --format csv
        propscan stats --db sqlite:///corpus.db --by review
        propscan stats --db sqlite:///corpus.db --by voice
        propscan stats --db sqlite:///corpus.db --by entity --where source=CNN
    """
    filters = filters_from(**filter_values)
    if by == "review":
        _review_stats(db, filters, fmt)
        return
    if by == "entity":
        _entity_stats(db, filters, fmt)
        return
    with open_store(db) as store:
        rows = store.stats(by, filters)
        total = store.count(filters)
    if fmt == "json":
        click.echo(json.dumps([asdict(row) for row in rows], indent=2))
    elif fmt == "csv":
        click.echo(_stats_csv(rows), nl=False)
    else:
        console = stdout_console()
        console.print(f"{total} articles in {escape(store.url)}", soft_wrap=True)
        console.print(_stats_table(rows, by))


def _entity_stats(db: str, filters: Filters, fmt: str) -> None:
    """``stats --by entity``: who is named, cast as what, and aimed at with which techniques."""
    with open_store(db) as store:
        rows = store.entity_stats(filters)
    if fmt == "json":
        click.echo(json.dumps([asdict(row) for row in rows], indent=2))
        return
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["name", "type", "mentions", "articles", "roles", "techniques"])
        for row in rows:
            roles = "; ".join(f"{role} {n}" for role, n in row.roles.items())
            aimed = "; ".join(f"{t} {n}" for t, n in row.techniques.items())
            writer.writerow([row.name, row.type, row.mentions, row.articles, roles, aimed])
        click.echo(out.getvalue(), nl=False)
        return
    table = Table(caption="roles: in how many articles each main role; articles with --entities")
    for column in ("entity", "type", "mentions", "articles", "main roles", "aimed at it"):
        table.add_column(column, justify="right" if column in ("mentions", "articles") else "left")
    for row in rows:
        roles = ", ".join(f"{role} {n}" for role, n in row.roles.items())
        aimed = ", ".join(f"{describe(t).name} {n}" for t, n in row.techniques.items())
        table.add_row(
            escape(row.name), row.type, str(row.mentions), str(row.articles), roles, aimed
        )
    stdout_console().print(table)


REVIEW_COLUMNS = ("unreviewed", "accepted", "rejected", "relabelled", "added")


def _review_stats(db: str, filters: Filters, fmt: str) -> None:
    """``stats --by review``: per technique, reviewers' verdicts on the model's predictions."""
    with open_store(db) as store:
        rows = store.review_stats(filters)
    records = [asdict(row) | {"precision": row.precision} for row in rows]
    if fmt == "json":
        click.echo(json.dumps(records, indent=2))
        return
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(
            out, ["technique", *REVIEW_COLUMNS, "precision"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(records)
        click.echo(out.getvalue(), nl=False)
        return
    table = Table(caption="precision: share of reviewed predictions accepted as they were")
    table.add_column("technique")
    for column in (*REVIEW_COLUMNS, "precision"):
        table.add_column(column, justify="right")
    for row in rows:
        share = "–" if row.precision is None else f"{row.precision:.0%}"
        counts = (str(getattr(row, column)) for column in REVIEW_COLUMNS)
        table.add_row(describe(row.technique).name, *counts, share)
    stdout_console().print(table)


def _stats_csv(rows: Sequence[StatRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STAT_COLUMNS)
    writer.writerows(
        [value if isinstance(value, str | int) else f"{value:.4f}" for value in astuple(r)]
        for r in rows
    )
    return out.getvalue()


STAT_COLUMNS = [f.name for f in fields(StatRow)]


def _stats_table(rows: Sequence[StatRow], by: str) -> Table:
    """The rows as a table; techniques by their names, as every other view shows them."""
    table = Table(caption="[low–high]: 95% interval, from a bootstrap over articles")
    table.add_column(by)
    for column in ("articles", "spans", "per article [low–high]", "per 1,000 words [low–high]"):
        table.add_column(column, justify="right")
    for r in rows:
        key = describe(r.key).name if by == "technique" else r.key
        per_article = f"{r.per_article:.2f} [{r.per_article_low:.2f}–{r.per_article_high:.2f}]"
        per_words = (
            f"{r.per_1000_words:.2f} [{r.per_1000_words_low:.2f}–{r.per_1000_words_high:.2f}]"
        )
        table.add_row(key, str(r.articles), str(r.spans), per_article, per_words)
    return table
