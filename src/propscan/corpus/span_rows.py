"""Stored spans as flat rows for researchers: one row per span as reviewed (rejected ones left
out), with its article's metadata and feed fields, its technique and category, confidence,
review and origin."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from propscan.corpus.records import StoredArticle
from propscan.techniques import category_of

SPAN_COLUMNS = (
    "article_id",
    "external_id",
    "title",
    "source",
    "url",
    "date",
    "author",
    "model",
    "start",
    "end",
    "text",
    "technique",
    "category",
    "score",
    "status",
    "origin",
    "original_technique",
    "reviewer",
    "reviewed",
)
_INTEGERS = frozenset({"article_id", "start", "end"})


def field_columns(fields: Sequence[str]) -> list[str]:
    """The columns of feed fields: their names, or 'field_NAME' where a name is a span column."""
    return [f"field_{name}" if name in SPAN_COLUMNS else name for name in fields]


def span_rows(
    stored: Iterable[StoredArticle], fields: Sequence[str] = ()
) -> Iterator[dict[str, Any]]:
    """One dict per kept span, with the keys of ``SPAN_COLUMNS`` and then a column per name in
    ``fields`` (``field_columns``; empty where the article lacks that field)."""
    columns = field_columns(fields)
    for article in stored:
        a = article.analysis.article
        given = dict(a.fields)
        extra = {column: given.get(name) for column, name in zip(columns, fields, strict=True)}
        for span in article.spans:
            if span.status == "rejected":
                continue
            yield {
                "article_id": article.id,
                "external_id": a.id,
                **a.metadata(),
                "model": article.analysis.model,
                "start": span.start,
                "end": span.end,
                "text": a.text[span.start : span.end],
                "technique": span.technique,
                "category": category_of(span.technique),
                "score": round(span.score, 4),
                "status": span.status,
                "origin": span.origin,
                "original_technique": span.original_technique,
                "reviewer": span.reviewer,
                "reviewed": span.reviewed,
            } | extra


def span_schema(fields: Sequence[str] = ()) -> Any:
    """The Arrow schema of ``span_rows`` (for Parquet output)."""
    import pyarrow as pa

    def kind(name: str) -> Any:
        if name in _INTEGERS:
            return pa.int64()
        return pa.float64() if name == "score" else pa.string()

    columns = [*SPAN_COLUMNS, *field_columns(fields)]
    return pa.schema([(name, kind(name)) for name in columns])
