"""Corpus commands: ``propscan stats``, ``propscan export``, and ``analyze --db/--engine``."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from propscan.batch import (
    BatchResult,
    Outcome,
    Terminated,
    model_loader,
    run_batch,
    sigterm_as_interrupt,
)
from propscan.cli.common import fail, stderr
from propscan.errors import PropscanError
from propscan.paths import DB_VARIABLE, default_db_url, sqlite_path
from propscan.ptc import technique_lines, write_release
from propscan.render.segments import describe
from propscan.sources import analysis_row, analysis_schema, chain, open_source
from propscan.store import Filters, StatRow, Store
from propscan.techniques import LABELS

F = TypeVar("F", bound=Callable[..., Any])
ENGINES = ("local", "ray")
EXPORT_FORMATS = ("jsonl", "csv", "parquet", "ptc")


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
            default=os.cpu_count() or 1,
            show_default="all cores",
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
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filters(
    source: str | None,
    technique: str | None,
    date_from: datetime | None,
    date_to: datetime | None,
    q: str | None,
) -> Filters:
    return Filters(
        source=source,
        technique=technique,
        q=q,
        date_from=date_from.date().isoformat() if date_from else None,
        date_to=date_to.date().isoformat() if date_to else None,
    )


def analyze_corpus(
    inputs: Sequence[str],
    *,
    db: str | None,
    workers: int,
    engine: str,
    parquet: Path | None,
    model_dir: Path | None,
    max_bytes: int,
) -> int:
    """Analyse folders and JSONL/CSV/Parquet files into a store; return the exit status."""
    if parquet and engine != "ray":
        raise click.UsageError("--parquet needs --engine ray (or use 'propscan export')")
    if engine == "ray" and not (db or parquet):
        raise click.UsageError("--engine ray needs --db URL, --parquet FILE, or both")
    try:
        sources = [open_source(Path(item), max_bytes=max_bytes) for item in inputs]
        store = Store(db) if db else None
    except PropscanError as error:
        fail(str(error))
        return 1
    pairs = zip(inputs, sources, strict=True)
    empty = [item for item, source in pairs if Path(item).is_dir() and not len(source)]
    for item in empty:
        fail(f"{item}: no .txt or .html article in this folder or its subfolders")
    total = sum(len(source) for source in sources)
    loader = model_loader(model_dir)
    try:
        with sigterm_as_interrupt(), _progress_bar(total) as on_item:
            if engine == "ray":
                result = _ray()(
                    chain(sources),
                    store=store,
                    parquet=parquet,
                    loader=loader,
                    workers=workers,
                    on_item=on_item,
                )
            else:
                assert store is not None
                result = run_batch(
                    chain(sources), store, workers=workers, loader=loader, on_item=on_item
                )
    except KeyboardInterrupt as stop:
        stderr.print("interrupted: every finished article is stored; rerun to resume")
        return 128 + (signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT)
    except PropscanError as error:
        fail(str(error))
        return 1
    finally:
        if store:
            store.close()
    targets = [store.url] if store else []
    _report(result, " and ".join([*targets, *([str(parquet)] if parquet else [])]))
    return 1 if result.failed or empty else 0


def _ray() -> Callable[..., BatchResult]:
    """``run_ray``, or a usage error saying how to install Ray."""
    try:
        import ray  # noqa: F401
    except ImportError:
        raise click.UsageError("--engine ray needs pip install 'propscan[ray]'") from None
    from propscan.ray_engine import run_ray

    return run_ray


def _report(result: BatchResult, target: str) -> None:
    for error in result.errors:
        fail(error)
    rate = result.stored / result.seconds if result.seconds else 0.0
    stderr.print(
        f"stored {result.stored}, updated the metadata of {result.updated} and skipped "
        f"{result.skipped} already stored, failed "
        f"{result.failed} in {result.seconds:.1f} s ({rate:.1f} articles/s) -> {target}",
        highlight=False,
    )


class _RateColumn(ProgressColumn):
    """Articles per second over the last half minute."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} articles/s" if speed else "… articles/s")


@contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[Outcome], None]]:
    """A progress bar on stderr (shown on a terminal) and the callback that advances it."""
    columns = (
        TextColumn("analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[outcomes]}"),
    )
    seen = {"stored": 0, "updated": 0, "skipped": 0, "failed": 0}
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task("analysing", total=total, outcomes="")

        def advance(outcome: Outcome) -> None:
            seen[outcome] += 1
            summary = " · ".join(f"{n} {name}" for name, n in seen.items() if n)
            progress.update(task, advance=1, outcomes=summary)

        yield advance


@click.command(name="stats")
@db_option
@click.option(
    "--by",
    type=click.Choice(["technique", "category", "source", "month", "review"]),
    default="technique",
    show_default=True,
    help="'category': the 6 categories of SemEval-2023 (a PTC class counts under the category "
    "of most of its 2023 techniques). 'review': per technique, how many predictions reviewers "
    "accepted, rejected and relabelled, and how many fragments they added.",
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
    """Count stored articles and technique spans by technique, source or month, or how
    often reviewers agreed with the model.

    Example:

    \b
        propscan stats --db sqlite:///corpus.db --by technique
        propscan stats --db sqlite:///corpus.db --by month --q election --format csv
        propscan stats --db sqlite:///corpus.db --by review
    """
    filters = _filters(**filter_values)
    if by == "review":
        _review_stats(db, filters, fmt)
        return
    with _open(db) as store:
        rows = store.stats(by, filters)  # type: ignore[arg-type]
        total = store.count(filters)
    if fmt == "json":
        click.echo(json.dumps([asdict(row) for row in rows], indent=2))
    elif fmt == "csv":
        click.echo(_stats_csv(rows), nl=False)
    else:
        console = Console(highlight=False)
        console.print(f"{total} articles in {escape(store.url)}", soft_wrap=True)
        console.print(_stats_table(rows, by))


REVIEW_COLUMNS = ("unreviewed", "accepted", "rejected", "relabelled", "added")


def _review_stats(db: str, filters: Filters, fmt: str) -> None:
    """``stats --by review``: per technique, reviewers' verdicts on the model's predictions."""
    with _open(db) as store:
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
    Console(highlight=False).print(table)


def _stats_csv(rows: Sequence[StatRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["key", "articles", "spans", "per_article"])
    writer.writerows([r.key, r.articles, r.spans, f"{r.per_article:.4f}"] for r in rows)
    return out.getvalue()


def _stats_table(rows: Sequence[StatRow], by: str) -> Table:
    """The rows as a table; techniques by their names, as every other view shows them."""
    table = Table()
    table.add_column(by)
    for column in ("articles", "spans", "spans per article"):
        table.add_column(column, justify="right")
    for r in rows:
        key = describe(r.key).name if by == "technique" else r.key
        table.add_row(key, str(r.articles), str(r.spans), f"{r.per_article:.2f}")
    return table


@click.command(name="export")
@db_option
@click.option(
    "-f", "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True, path_type=Path),
    default="-",
    help="Write here instead of standard output (required for parquet; a folder for "
    "--format ptc --reviewed).",
)
@click.option(
    "--reviewed",
    is_flag=True,
    help="Only articles a reviewer marked reviewed, with their spans as corrected. With "
    "--format ptc: a PTC release folder to train on ('propscan train PTC --add FOLDER').",
)
@filter_options
def export_command(db: str, fmt: str, output: Path, reviewed: bool, **filter_values: Any) -> None:
    """Write stored analyses as JSON Lines, CSV (one row per article), Parquet or PTC lines.

    Every format holds the spans as reviewed: rejected spans left out, relabelled spans
    with their new technique, added fragments in.

    Example:

    \b
        propscan export --db sqlite:///corpus.db --format parquet -o corpus.parquet
        propscan export --db sqlite:///corpus.db --format ptc --source bbc.co.uk
        propscan export --db sqlite:///corpus.db --format ptc --reviewed -o reviewed-ptc
    """
    filters = replace(_filters(**filter_values), reviewed=reviewed)
    if fmt == "ptc" and reviewed:
        _export_release(db, filters, output)
        return
    if fmt == "parquet" and str(output) == "-":
        raise click.UsageError("--format parquet needs -o FILE")
    if output.is_dir():
        raise click.UsageError(
            f"{output} is a folder; give a file (folders: --format ptc --reviewed)"
        )
    with _open(db) as store, _replaced_on_success(output) as target:
        analyses = (stored.analysis for stored in store.iter_articles(filters))
        if fmt == "parquet":
            _write_parquet(analyses, target)
            return
        with click.open_file(str(target), "w", encoding="utf-8") as out:
            _write_text(analyses, fmt, out)


def _export_release(db: str, filters: Filters, folder: Path) -> None:
    """The reviewed articles as a PTC release folder, article ids 'propscanN' (N: store id)."""
    if str(folder) == "-":
        raise click.UsageError("--format ptc --reviewed writes a folder: give -o FOLDER")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise click.UsageError(f"{folder} exists and is not an empty folder")
    with _open(db) as store:
        analyses = (
            replace(s.analysis, article=replace(s.analysis.article, id=f"propscan{s.id}"))
            for s in store.iter_articles(filters)
        )
        n = write_release(analyses, folder)
    stderr.print(f"wrote {n} reviewed article{'' if n == 1 else 's'} to {folder}", highlight=False)


@contextmanager
def _replaced_on_success(output: Path) -> Iterator[Path]:
    """A temporary file beside ``output`` that becomes ``output`` only if the block succeeds
    (no empty or partial file is left on failure); '-' (standard output) as it is."""
    if str(output) == "-":
        yield output
        return
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    try:
        yield partial
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)


def _write_text(analyses: Iterator[Any], fmt: str, out: IO[str]) -> None:
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        base = ["id", "title", "source", "url", "date", "model", "score", "spans"]
        writer.writerow(base + list(LABELS))
        for a in analyses:
            article = a.article
            writer.writerow(
                [article.id, article.title, article.source, article.url, article.date]
                + [a.model, f"{a.score:.4f}", len(a.spans)]
                + [a.counts.get(label, 0) for label in LABELS]
            )
        return
    for a in analyses:
        if fmt == "jsonl":
            out.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")
        else:
            out.writelines(line + "\n" for line in technique_lines(a.article.id, a.spans))


def _write_parquet(analyses: Iterator[Any], path: Path, chunk: int = 500) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = analysis_schema()
    with pq.ParquetWriter(path, schema) as writer:
        rows: list[dict[str, Any]] = []
        for analysis in analyses:
            rows.append(analysis_row(analysis))
            if len(rows) >= chunk:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))


@contextmanager
def _open(url: str) -> Iterator[Store]:
    """An existing store, or exit 1 with a hint when there is none or it fails."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        fail(f"no corpus at {path}; fill one with 'propscan analyze INPUT --db {url}'")
        sys.exit(1)
    try:
        with Store(url) as store:
            yield store
    except PropscanError as error:
        fail(str(error))
        sys.exit(1)
