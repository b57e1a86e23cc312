"""Which articles a listing, statistic or export covers, and the SQL that selects them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from propscan.corpus.schema import UNKNOWN, article_fields, articles, counts
from propscan.errors import QueryError

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Filters:
    """Which articles a listing or statistic covers; every field given must hold.

    ``source`` '(unknown)' selects articles without a source; ``technique`` keeps articles with
    at least one span of it; ``q`` are full-text keywords; dates are inclusive 'YYYY-MM-DD';
    ``reviewed`` keeps only the articles a reviewer marked reviewed; ``fields`` are (name, value)
    pairs of the further metadata a feed gave (``Article.fields``), each of which must match.
    """

    source: str | None = None
    technique: str | None = None
    q: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    reviewed: bool = False
    fields: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        """The filters as the NAME=VALUE conditions ``parse_conditions`` reads ('all articles'
        when there are none)."""
        given = [
            f"{name}={value}"
            for name, value in (
                ("source", self.source),
                ("technique", self.technique),
                ("q", self.q),
                ("from", self.date_from),
                ("to", self.date_to),
            )
            if value
        ]
        given += [f"{name}={value}" for name, value in self.fields]
        if self.reviewed:
            given.append("reviewed")
        return ", ".join(given) or "all articles"


_KEYS = {"source": "source", "technique": "technique", "q": "q", "from": "date_from"}
_KEYS["to"] = "date_to"


def parse_conditions(conditions: Iterable[str], base: Filters = Filters()) -> Filters:
    """``base`` narrowed by NAME=VALUE conditions: ``source``, ``technique``, ``q``, ``from`` and
    ``to`` (YYYY-MM-DD, or YYYY-MM / YYYY for the whole month or year), ``date`` (a day, month or
    year: from its first to its last day), or any further field name (``bias_text=left``)."""
    given: dict[str, Any] = {}
    fields = dict(base.fields)
    for condition in conditions:
        name, equals, value = condition.partition("=")
        name, value = name.strip(), value.strip()
        if not equals or not name or not value:
            raise QueryError(f"not a condition: {condition!r}; use NAME=VALUE, e.g. source=CNN")
        if name == "date":
            given["date_from"], given["date_to"] = _period(value)
        elif name in ("from", "to"):
            first, last = _period(value)
            given[_KEYS[name]] = first if name == "from" else last
        elif name in _KEYS:
            given[_KEYS[name]] = value
        else:
            fields[name] = value
    return replace(base, **given, fields=tuple(sorted(fields.items())))


def _period(value: str) -> tuple[str, str]:
    """The first and last day of 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'."""
    parts = value.split("-")
    try:
        if len(parts) == 1:
            year = int(parts[0])
            return date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
        if len(parts) == 2:
            first = date(int(parts[0]), int(parts[1]), 1)
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first.isoformat(), (following - timedelta(days=1)).isoformat()
    except (ValueError, OverflowError):
        pass
    day = _iso_day(value).isoformat()
    return day, day


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
    f = article_fields.c
    for name, value in filters.fields:
        having = sa.select(f.article_id).where(f.name == name, f.value == value)
        clauses.append(a.id.in_(having))
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
        raise QueryError(f"not a date: {value!r}; use YYYY-MM-DD") from None
