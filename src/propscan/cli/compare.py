"""``propscan compare`` (two groups of stored articles side by side) and ``propscan trends``
(rates month by month)."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from propscan.cli.common import stdout_console
from propscan.cli.corpus_options import db_option, filter_options, filters_from, open_store
from propscan.corpus.comparison import FEW_ARTICLES, Comparison, DistinctiveReport, TrendPoint
from propscan.corpus.distinctive import Distinctive
from propscan.corpus.filters import Filters, parse_conditions
from propscan.errors import PropscanError
from propscan.render.comparison import (
    REST,
    comparison_csv,
    comparison_dict,
    distinctive_dict,
    trend_dicts,
    trends_csv,
)
from propscan.render.segments import describe
from propscan.techniques import LABELS

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)


@click.command(name="compare")
@db_option
@click.option(
    "--a",
    "group_a",
    multiple=True,
    required=True,
    metavar="NAME=VALUE",
    help="Group A: articles with source=…, bias_text=… (any feed field), technique=…, q=…, "
    "from=/to=/date= (YYYY-MM-DD, YYYY-MM or YYYY). Repeat to narrow it.",
)
@click.option(
    "--b",
    "group_b",
    multiple=True,
    metavar="NAME=VALUE",
    help="Group B, the same way. Default: every stored article outside A.",
)
@filter_options
@click.option(
    "--words",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="With the table or JSON: also the span words that set each group apart, this many a "
    "side (0: none).",
)
@FORMAT
def compare_command(
    db: str,
    group_a: tuple[str, ...],
    group_b: tuple[str, ...],
    words: int,
    fmt: str,
    **filter_values: Any,
) -> None:
    """Compare two groups of stored articles technique by technique: spans per 1,000 words
    with 95% intervals, the ratio A/B with its interval, and whether they credibly differ.

    Intervals come from a bootstrap over articles (each group resampled on its own); a
    difference is credible when the interval of A−B excludes zero. The other filter options
    apply to both groups. What sets a group apart (techniques by their share of its spans, and
    words inside its spans) is by log-odds with an informative Dirichlet prior (Monroe et al.
    2008).

    Example:

    \b
        propscan compare --db sqlite:///news.db --a bias_text=left --b bias_text=right
        propscan compare --db sqlite:///news.db --a source=CNN --format json
        propscan compare --db sqlite:///news.db --a date=2016 --b date=2019 --where bias_text=right
    """
    base = filters_from(**filter_values)
    a, b = _group(group_a, base, "--a"), _group(group_b, base, "--b") if group_b else None
    with open_store(db) as store:
        try:
            comparison = store.compare(a, b, within=base)
            report = (
                store.distinctive(a, b, within=base, limit=words)
                if words and fmt != "csv"
                else None
            )
        except PropscanError as error:
            raise click.ClickException(str(error)) from None
    if fmt == "csv":
        click.echo(comparison_csv(comparison), nl=False)
    elif fmt == "json":
        out = comparison_dict(comparison)
        if report:
            out["distinctive"] = distinctive_dict(report)
        click.echo(json.dumps(out, indent=2))
    else:
        _print_comparison(comparison, report)


@click.command(name="trends")
@db_option
@click.option(
    "--by",
    default=None,
    help="One line per source, or per value of a feed field (e.g. bias_text). Default: all "
    "articles as one line.",
)
@click.option("--of", "of", type=click.Choice(LABELS), help="One technique (default: all).")
@filter_options
@FORMAT
def trends_command(db: str, by: str | None, of: str | None, fmt: str, **filter_values: Any) -> None:
    """Spans per 1,000 words month by month, with 95% intervals (a bootstrap over articles).

    Months with fewer than 10 articles are marked: their rates rest on too little text to
    read a trend from.

    Example:

    \b
        propscan trends --db sqlite:///news.db --by bias_text
        propscan trends --db sqlite:///news.db --by source --of Flag-Waving --format csv
    """
    filters = filters_from(**filter_values)
    with open_store(db) as store:
        try:
            points = store.trends(by, filters, of)
        except PropscanError as error:
            raise click.ClickException(str(error)) from None
    if fmt == "csv":
        click.echo(trends_csv(points), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(trend_dicts(points), indent=2))
    else:
        _print_trends(points, by, of)


def _group(conditions: tuple[str, ...], base: Filters, option: str) -> Filters:
    try:
        return parse_conditions(conditions, base)
    except PropscanError as error:
        raise click.BadParameter(str(error), param_hint=option) from None


def _interval(value: float | None, low: float | None, high: float | None) -> str:
    shown = "–" if value is None else f"{value:.2f}"
    bounds = f"{'–' if low is None else f'{low:.2f}'}–{'∞' if high is None else f'{high:.2f}'}"
    return f"{shown} [{bounds}]"


def _print_comparison(comparison: Comparison, report: DistinctiveReport | None) -> None:
    console = stdout_console()
    total = comparison.total
    b_name = comparison.b.describe() if comparison.b else REST
    for side, name, rate in (("A", comparison.a.describe(), total.a), ("B", b_name, total.b)):
        console.print(
            f"{side}: {escape(name)} — {rate.articles:,} articles, {rate.words:,} words, "
            f"{rate.spans:,} spans",
            soft_wrap=True,
        )
    if comparison.shared:
        console.print(f"{comparison.shared} articles match both and count in A only.")
    table = Table(
        caption="spans per 1,000 words [95% interval]; credible: the interval of A−B excludes 0"
    )
    for column in ("technique", "A", "B", "A / B", "credible"):
        table.add_column(column, justify="left" if column == "technique" else "right")
    for row in (total, *comparison.techniques):
        name = row.technique if row is total else describe(row.technique).name
        table.add_row(
            name,
            _interval(row.a.rate_per_1000_words, row.a.low, row.a.high),
            _interval(row.b.rate_per_1000_words, row.b.low, row.b.high),
            _interval(row.ratio, row.ratio_low, row.ratio_high),
            ("more in A" if row.a.rate_per_1000_words > row.b.rate_per_1000_words else "more in B")
            if row.credible
            else "",
        )
    console.print(table)
    if report:
        for side, techniques, found in (
            ("A", report.techniques_a, report.words_a),
            ("B", report.techniques_b, report.words_b),
        ):
            console.print(f"\nWhat sets {side} apart (log-odds z-score, with an example):")
            for d in techniques:
                console.print(f"  {escape(describe(d.term).name)}  z={d.z:.1f}{_example(d)}")
            for d in found:
                console.print(f"  “{escape(d.term)}”  z={d.z:.1f}{_example(d)}")
            if not techniques and not found:
                console.print("  nothing credible")


def _example(d: Distinctive) -> str:
    if not d.examples:
        return ""
    example = d.examples[0]
    return f"  e.g. “{escape(example.text[:80])}” (article {example.article_id})"


def _print_trends(points: list[TrendPoint], by: str | None, technique: str | None) -> None:
    what = describe(technique).name if technique else "all techniques"
    table = Table(
        caption=f"{what}: spans per 1,000 words [95% interval]; * fewer than "
        f"{FEW_ARTICLES} articles that month"
    )
    for column in (by or "group", "month", "articles", "rate [low–high]"):
        table.add_column(column, justify="right" if column == "articles" else "left")
    for p in points:
        rate = _interval(p.rate_per_1000_words, p.low, p.high) + (" *" if p.few else "")
        table.add_row(p.group, p.month, str(p.articles), rate)
    stdout_console().print(table)
