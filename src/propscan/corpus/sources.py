"""Corpus inputs -> Articles: a folder of .txt/.html files, JSONL, CSV or Parquet.

A JSONL line, CSV row or Parquet row is one article: ``text`` or ``html`` (one is required; a
``url`` alone is not fetched), and optionally ``id``, ``title``, ``source``, ``url``, ``date`` and
``author``. Metadata given in the record wins over what trafilatura reads from an HTML page.
Dates are kept as 'YYYY-MM-DD' when they parse as ISO dates. Any other short field (a name of
letters, digits and ``_.-``; a value of at most 200 characters, e.g. ``bias_text: left``) is
kept as one of the article's ``fields``, which the store can filter and group by.
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from propscan.article import METADATA, Analysis, Article, Span
from propscan.errors import InputError
from propscan.tasks.ptc import article_id
from propscan.text.ingest import (
    DEFAULT_MAX_BYTES,
    clean,
    collect,
    from_html,
    from_text,
    read_file,
    relative_id,
)

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FEED_SUFFIXES = JSONL_SUFFIXES | {".csv", ".parquet"}
NO_ARTICLE = "no 'text' or 'html' field with an article in it (a 'url' alone is not fetched)"
FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}")
MAX_FIELD_VALUE = 200
_NOT_FIELDS = frozenset(
    {"id", "text", "html", *METADATA}
    | {"model", "score", "spans", "counts", "n_spans", "words", "taxonomy", "in_training_data"}
    | {"fields"}
)  # what propscan's own outputs add to an article, for reading them again


@dataclass(frozen=True)
class Unreadable:
    """An input that could not be turned into an article, with the reason (which does not repeat
    ``id``: messages show them as 'ID: REASON')."""

    id: str
    error: str


Item = Article | Unreadable


class Source(Protocol):
    """Articles from one input, and how many there are (for a progress bar)."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Item]: ...


def open_source(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """The reader for a folder, a .jsonl/.csv/.parquet file, or one article file."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    suffix = path.suffix.lower()
    if path.is_dir() or suffix not in FEED_SUFFIXES:
        return FolderSource(path, max_bytes=max_bytes)
    if suffix == ".csv":
        return CsvSource(path)
    if suffix == ".parquet":
        return ParquetSource(path)
    return JsonlSource(path)


def from_record(record: Mapping[str, Any], *, default_id: str, name: str | None = None) -> Article:
    """An article from a mapping with ``text`` or ``html`` and optional metadata."""
    ident = str(record.get("id") or default_id)
    text, html = record.get("text"), record.get("html")
    if isinstance(text, str) and text.strip():
        article = from_text(text, ident=ident)
    elif isinstance(html, str) and html.strip():
        article = from_html(html, ident=ident, url=_clean(record.get("url")))
    else:
        raise InputError(NO_ARTICLE)
    given: dict[str, Any] = {key: _clean(record.get(key)) for key in METADATA}
    given_article = replace(article, **{key: value for key, value in given.items() if value})
    return clean(replace(given_article, fields=feed_fields(record)), name=name)


def feed_fields(record: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The record's further metadata (see the module's docstring), sorted by name; fields with
    long, nested or missing values (a second copy of the text, a list, NaN) are left out."""
    kept = []
    for name, value in record.items():
        if name in _NOT_FIELDS or not isinstance(name, str) or not FIELD_NAME.fullmatch(name):
            continue
        if isinstance(value, float) and not math.isfinite(value):
            continue
        if isinstance(value, bool | int | float | str | date):
            shown = _clean(value)
            if shown and len(shown) <= MAX_FIELD_VALUE and shown.isprintable():
                kept.append((name, shown))
    return tuple(sorted(kept))


class FolderSource:
    """The .txt/.html article files of a folder and its subfolders (or a single such file),
    with ids from their paths below the folder (``ingest.relative_id``)."""

    def __init__(self, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.files, _ = collect([path])
        self.root = path if path.is_dir() else None
        self.max_bytes = max_bytes

    def __len__(self) -> int:
        return len(self.files)

    def __iter__(self) -> Iterator[Item]:
        for path in self.files:
            ident = relative_id(path, self.root) if self.root else article_id(path)
            try:
                yield read_file(path, max_bytes=self.max_bytes, ident=ident)
            except InputError as error:
                yield Unreadable(ident, str(error))


class TextSource:
    """One article given as text on the command line (see ``is_literal_text``)."""

    def __init__(self, text: str, ident: str = "text") -> None:
        self.text, self.ident = text, ident

    def __len__(self) -> int:
        return 1

    def __iter__(self) -> Iterator[Item]:
        try:
            yield from_text(self.text, ident=self.ident)
        except InputError as error:
            yield Unreadable(self.ident, str(error))


def is_literal_text(item: str) -> bool:
    """Whether a command-line input is a quoted text to analyse: no such path, and words."""
    return not names_a_path(item) and any(ch.isspace() for ch in item.strip())


def names_a_path(item: str) -> bool:
    """Whether a command-line input names an existing file or folder (a text too long for a
    file name, or with a NUL in it, names none)."""
    try:
        return Path(item).exists()
    except (OSError, ValueError):
        return False


class JsonlSource:
    """One JSON object per line; blank lines are ignored."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __len__(self) -> int:
        with self.path.open("rb") as lines:
            return sum(1 for line in lines if line.strip())

    def __iter__(self) -> Iterator[Item]:
        with self.path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                default_id = f"{self.path.stem}:{number}"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    yield Unreadable(default_id, f"not JSON ({error.msg})")
                    continue
                if not isinstance(record, dict):
                    yield Unreadable(default_id, "not a JSON object")
                    continue
                yield _guard(record, default_id, f"{self.path}:{number}")


class CsvSource:
    """A CSV file with a header row naming the fields."""

    def __init__(self, path: Path) -> None:
        self.path = path
        csv.field_size_limit(sys.maxsize)

    def __len__(self) -> int:
        return sum(1 for _ in self._rows())

    def __iter__(self) -> Iterator[Item]:
        for number, row in enumerate(self._rows(), start=2):
            yield _guard(row, f"{self.path.stem}:{number}", f"{self.path}:{number}")

    def _rows(self) -> Iterator[dict[str, str]]:
        with self.path.open(encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)


class ParquetSource:
    """A Parquet file, read a row group batch at a time."""

    def __init__(self, path: Path) -> None:
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError(
                f"{path}: reading Parquet needs pip install 'propscan[parquet]'"
            ) from None
        self.file = pq.ParquetFile(path)
        self.path = path

    def __len__(self) -> int:
        return int(self.file.metadata.num_rows)

    def __iter__(self) -> Iterator[Item]:
        number = 0
        for batch in self.file.iter_batches(batch_size=256):
            for row in batch.to_pylist():
                number += 1
                yield _guard(row, f"{self.path.stem}:{number}", f"{self.path}:{number}")


def analysis_row(analysis: Analysis) -> dict[str, Any]:
    """An analysis as one flat row: article fields, model, score and a list of span dicts."""
    a = analysis.article
    return {
        "id": a.id,
        **a.metadata(),
        "fields": [{"name": name, "value": value} for name, value in a.fields],
        "text": a.text,
        "model": analysis.model,
        "score": analysis.score,
        "spans": [
            {"start": s.start, "end": s.end, "technique": s.technique, "score": s.score}
            for s in analysis.spans
        ],
    }


def analysis_from_row(row: Mapping[str, Any]) -> Analysis:
    """The inverse of ``analysis_row``."""
    given: dict[str, Any] = {key: row.get(key) for key in METADATA}
    fields = tuple((f["name"], f["value"]) for f in row.get("fields") or ())
    article = Article(row["id"], row["text"], **given, fields=fields)
    spans = tuple(Span(s["start"], s["end"], s["technique"], s["score"]) for s in row["spans"])
    return Analysis(article, spans, model=row["model"])


def analysis_schema() -> Any:
    """The Arrow schema of ``analysis_row`` rows (for Parquet output)."""
    import pyarrow as pa

    span = pa.struct(
        {"start": pa.int64(), "end": pa.int64(), "technique": pa.string(), "score": pa.float64()}
    )
    field = pa.struct({"name": pa.string(), "value": pa.string()})
    strings = [(name, pa.string()) for name in ("id", *METADATA)]
    return pa.schema(
        [
            *strings,
            ("fields", pa.list_(field)),
            ("text", pa.string()),
            ("model", pa.string()),
            ("score", pa.float64()),
            ("spans", pa.list_(span)),
        ]
    )


def chain(sources: Iterable[Source]) -> Iterator[Item]:
    """The items of several sources, one after the other."""
    for source in sources:
        yield from source


def _guard(record: Mapping[str, Any], default_id: str, name: str) -> Item:
    """The record's article, or why it has none; warnings name it as ``name`` (FILE:LINE)."""
    try:
        return from_record(record, default_id=default_id, name=name)
    except InputError as error:
        return Unreadable(str(record.get("id") or default_id), str(error))


def _clean(value: Any) -> str | None:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None:
        return None
    text = str(value).strip()
    return text or None
