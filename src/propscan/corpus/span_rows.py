"""Stored spans as flat rows for researchers: one row per span as reviewed (rejected ones left
out), with its article's metadata, its technique and category, confidence, review and origin."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


def span_rows(stored: Iterable[StoredArticle]) -> Iterator[dict[str, Any]]:
    """One dict per kept span, with the keys of ``SPAN_COLUMNS``."""
    for article in stored:
        a = article.analysis.article
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
            }


def span_schema() -> Any:
    """The Arrow schema of ``span_rows`` (for Parquet output)."""
    import pyarrow as pa

    def kind(name: str) -> Any:
        if name in _INTEGERS:
            return pa.int64()
        return pa.float64() if name == "score" else pa.string()

    return pa.schema([(name, kind(name)) for name in SPAN_COLUMNS])
