"""``propscan export``: stored analyses as JSON Lines, CSV, Parquet or PTC files."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import click

from propscan.cli.common import stderr
from propscan.cli.corpus_options import (
    db_option,
    filter_options,
    filters_from,
    open_store,
)
from propscan.corpus.sources import analysis_row, analysis_schema
from propscan.corpus.span_rows import SPAN_COLUMNS, field_columns, span_rows, span_schema
from propscan.corpus.store import Filters, StoredArticle
from propscan.tasks.ptc import technique_lines, write_release
from propscan.techniques import LABELS

EXPORT_FORMATS = ("jsonl", "csv", "parquet", "ptc")


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
@click.option(
    "--rows",
    type=click.Choice(["article", "span"]),
    default="article",
    show_default=True,
    help="With csv or parquet: one row per article (technique counts) or per span (its "
    "article's metadata, technique, category, confidence, review status and origin).",
)
@filter_options
def export_command(
    db: str, fmt: str, output: Path, reviewed: bool, rows: str, **filter_values: Any
) -> None:
    """Write stored analyses as JSON Lines, CSV (one row per article or span), Parquet or PTC
    lines.

    Every format holds the spans as reviewed: rejected spans left out, relabelled spans
    with their new technique, added fragments in.

    Example:

    \b
        propscan export --db sqlite:///corpus.db --format parquet -o corpus.parquet
        propscan export --db sqlite:///corpus.db --format csv --rows span -o spans.csv
        propscan export --db sqlite:///corpus.db --format ptc --source bbc.co.uk
        propscan export --db sqlite:///corpus.db --format ptc --reviewed -o reviewed-ptc
    """
    filters = replace(filters_from(**filter_values), reviewed=reviewed)
    if fmt == "ptc" and reviewed:
        _export_release(db, filters, output)
        return
    if rows == "span" and fmt not in ("csv", "parquet"):
        raise click.UsageError("--rows span is for --format csv or parquet")
    if fmt == "parquet" and str(output) == "-":
        raise click.UsageError("--format parquet needs -o FILE")
    if output.is_dir():
        raise click.UsageError(
            f"{output} is a folder; give a file (folders: --format ptc --reviewed)"
        )
    with open_store(db) as store, _replaced_on_success(output) as target:
        stored = store.iter_articles(filters)
        fields = store.field_names()
        if rows == "span":
            _write_spans(stored, fmt, target, fields)
            return
        if fmt == "parquet":
            _write_parquet((s.analysis for s in stored), target)
            return
        with click.open_file(str(target), "w", encoding="utf-8") as out:
            _write_text(stored, fmt, out, fields)


def _export_release(db: str, filters: Filters, folder: Path) -> None:
    """The reviewed articles as a PTC release folder, article ids 'propscanN' (N: store id)."""
    if str(folder) == "-":
        raise click.UsageError("--format ptc --reviewed writes a folder: give -o FOLDER")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise click.UsageError(f"{folder} exists and is not an empty folder")
    with open_store(db) as store:
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


def _write_text(stored: Iterator[StoredArticle], fmt: str, out: IO[str], fields: list[str]) -> None:
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        base = ["id", "title", "source", "url", "date", "author", "model", "score", "spans"]
        writer.writerow(base + list(LABELS) + field_columns(fields))
        for a in (s.analysis for s in stored):
            article = a.article
            given = dict(article.fields)
            writer.writerow(
                [article.id, article.title, article.source, article.url, article.date]
                + [article.author, a.model, f"{a.score:.4f}", len(a.spans)]
                + [a.counts.get(label, 0) for label in LABELS]
                + [given.get(name) for name in fields]
            )
        return
    for s in stored:
        if fmt == "jsonl":
            out.write(json.dumps(_reviewed_record(s), ensure_ascii=False) + "\n")
        else:
            analysis = s.analysis
            out.writelines(
                line + "\n" for line in technique_lines(analysis.article.id, analysis.spans)
            )


def _reviewed_record(stored: StoredArticle) -> dict[str, Any]:
    """An analysis as JSON, each span with its review status and origin (the model that
    predicted it, or 'added' by a reviewer); rejected spans left out, as in every export."""
    record = stored.analysis.to_dict()
    record["fields"] = dict(stored.analysis.article.fields)
    text = stored.analysis.article.text
    record["spans"] = [
        {**span.span.to_dict(), "text": text[span.start : span.end]}
        | {"status": span.status, "origin": span.origin}
        for span in stored.spans
        if span.status != "rejected"
    ]
    return record


def _write_spans(
    stored: Iterator[StoredArticle], fmt: str, target: Path, fields: list[str], chunk: int = 2000
) -> None:
    """``span_rows`` as CSV (a header line, then a line per span) or Parquet."""
    if fmt == "csv":
        with click.open_file(str(target), "w", encoding="utf-8") as out:
            columns = [*SPAN_COLUMNS, *field_columns(fields)]
            writer = csv.DictWriter(out, columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(span_rows(stored, fields))
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = span_schema(fields)
    with pq.ParquetWriter(target, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in span_rows(stored, fields):
            batch.append(row)
            if len(batch) >= chunk:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))


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
