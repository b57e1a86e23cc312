"""Which articles a listing, statistic or export covers, and the SQL that selects them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from propscan.corpus.schema import UNKNOWN, articles, counts
from propscan.errors import StoreError

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Filters:
    """Which articles a listing or statistic covers; every field given must hold.

    ``source`` '(unknown)' selects articles without a source; ``technique`` keeps articles with
    at least one span of it; ``q`` are full-text keywords; dates are inclusive 'YYYY-MM-DD';
    ``reviewed`` keeps only the articles a reviewer marked reviewed.
    """

    source: str | None = None
    technique: str | None = None
    q: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    reviewed: bool = False


def where_clauses(
    filters: Filters, *, postgres: bool
) -> list[sa.ColumnElement[bool] | sa.TextClause]:
    """The SQL conditions that select the articles passing ``filters``."""
    a = articles.c
    clauses: list[sa.ColumnElement[bool] | sa.TextClause] = []
    if filters.source == UNKNOWN:
        clauses.append(a.source.is_(None))
    elif filters.source is not None:
        clauses.append(a.source == filters.source)
    if filters.technique is not None:
        with_it = sa.select(counts.c.article_id).where(counts.c.technique == filters.technique)
        clauses.append(a.id.in_(with_it))
    if filters.reviewed:
        clauses.append(a.reviewed.is_not(None))
    if filters.date_from:
        clauses.append(a.date >= _iso_day(filters.date_from).isoformat())
    if filters.date_to:
        clauses.append(_until(_iso_day(filters.date_to)))
    words = _WORD.findall(filters.q or "")
    if words and postgres:
        clauses.append(
            sa.text("articles.tsv @@ plainto_tsquery('english', :q)").bindparams(q=" ".join(words))
        )
    elif words:
        clauses.append(
            sa.text(
                "articles.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q)"
            ).bindparams(q=" ".join(f'"{word}"' for word in words))
        )
    return clauses


def _until(day: date) -> sa.ColumnElement[bool]:
    """Dates on or before ``day``. They may carry a time: compare with the next day (which
    keeps the index usable); every date is on or before the last one there is."""
    if day == date.max:
        return articles.c.date.is_not(None)
    return articles.c.date < (day + timedelta(days=1)).isoformat()


def _iso_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise StoreError(f"not a date: {value!r}; use YYYY-MM-DD") from None
