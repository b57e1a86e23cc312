"""Corpus statistics: technique spans per technique, category, source, month or further field,
per article and per 1,000 words, with 95% intervals from a bootstrap over articles (``rates``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

from propscan.corpus.filters import Filters
from propscan.corpus.listing import Listing
from propscan.corpus.rates import GroupRates, bootstrap_weights, group_rates
from propscan.corpus.records import StatRow
from propscan.corpus.schema import UNKNOWN, article_fields, articles, counts, entities, spans
from propscan.errors import QueryError
from propscan.techniques import category_of

GROUPINGS = ("technique", "category", "voice", "speaker", "target", "source", "month")
"""What ``stats`` groups by, beside the names of further fields (``Statistics.field_names``)."""
SPAN_GROUPINGS = ("technique", "category", "voice", "speaker", "target")
"""Groupings of spans rather than of articles (their rates divide by all filtered articles)."""
NOT_ATTRIBUTED = "(not attributed)"
"""The voice of spans stored without ``--entities``."""
UNNAMED = "(unnamed)"
"""The speaker of a quote whose text names none."""


@dataclass(frozen=True)
class EntityRow:
    """A named entity across the filtered articles: how often it is named, in how many
    articles, the main roles they cast it in, and the techniques aimed at it."""

    name: str
    type: str
    mentions: int
    articles: int
    roles: dict[str, int]
    techniques: dict[str, int]


@dataclass(frozen=True)
class ArticleTable:
    """The filtered articles as arrays: id, words, spans, a group key each, and their spans per
    column (a technique or category) when asked for."""

    ids: npt.NDArray[np.int64]
    words: npt.NDArray[np.int64]
    spans: npt.NDArray[np.int64]
    keys: list[tuple[str, ...]]
    """Per article, its key in each grouping asked for."""
    columns: list[str]
    matrix: npt.NDArray[np.int64]
    """(articles, columns)."""


class Statistics(Listing):
    """Grouped counts and rates over the articles that pass a filter."""

    def stats(self, by: str, filters: Filters = Filters()) -> list[StatRow]:
        """Spans per technique, SemEval-2023 category, voice (author or quoted), speaker,
        target, source, month ('YYYY-MM') or further field (``field_names``), per article and
        per 1,000 words with 95% intervals.

        By technique, category, voice, speaker or target (spans stored with ``--entities``;
        speakers of quotes only, targets where one was found), ``articles`` counts the articles
        with at least one span of it
        and the rates divide by all the filtered articles (their words); rows are sorted by
        spans, and spans count under their technique's category (``techniques.category_of``).
        By source (most articles first), month (in order) or field (most articles first), each
        row is a group of articles and its rates are its own; articles without one are grouped
        under '(unknown)'.
        """
        if by in SPAN_GROUPINGS:
            table = self.article_table(filters, columns=by)
            rates = group_rates(table.words, table.matrix)
            with_it = (table.matrix > 0).sum(axis=0)
            rows = [
                _row(column, int(with_it[i]), rates, i) for i, column in enumerate(table.columns)
            ]
            return sorted(rows, key=lambda r: (-r.spans, r.key))
        table = self.article_table(filters, groups=(by,))
        groups: dict[str, list[int]] = {}
        for index, (key,) in enumerate(table.keys):
            groups.setdefault(key, []).append(index)
        order = (
            sorted(groups) if by == "month" else sorted(groups, key=lambda k: (-len(groups[k]), k))
        )
        weights = bootstrap_weights(len(table.ids))
        rows = []
        for key in order:
            members = np.asarray(groups[key])
            rates = group_rates(table.words[members], table.spans[members], weights[:, members])
            rows.append(_row(key, len(members), rates, 0))
        return rows

    def entity_stats(self, filters: Filters = Filters(), limit: int = 50) -> list[EntityRow]:
        """The entities named in the filtered articles (stored with ``--entities``), those with
        most techniques aimed at them first, then the most mentioned."""
        e = entities.c
        where = self._where(filters)
        chosen = sa.select(articles.c.id).where(*where) if where else None
        query = sa.select(e.article_id, e.name, e.type, e.mentions, e.main_role)
        aims = (
            sa.select(spans.c.target, spans.c.technique, sa.func.count())
            .where(spans.c.target.is_not(None), spans.c.status != "rejected")
            .group_by(spans.c.target, spans.c.technique)
        )
        if chosen is not None:
            query = query.where(e.article_id.in_(chosen))
            aims = aims.where(spans.c.article_id.in_(chosen))
        rows: dict[str, dict[str, Any]] = {}
        with self._errors(), self._engine.connect() as conn:
            for _, name, kind, mentions, role in conn.execute(query):
                row = rows.setdefault(
                    name, {"types": Counter(), "mentions": 0, "articles": 0, "roles": Counter()}
                )
                row["types"][kind] += 1
                row["mentions"] += mentions
                row["articles"] += 1
                if role:
                    row["roles"][role] += 1
            aimed: dict[str, Counter[str]] = {}
            for target, technique, n in conn.execute(aims):
                aimed.setdefault(target, Counter())[technique] += n
        found = [
            EntityRow(
                name=name,
                type=row["types"].most_common(1)[0][0],
                mentions=row["mentions"],
                articles=row["articles"],
                roles=dict(row["roles"].most_common()),
                techniques=dict(aimed.get(name, Counter()).most_common()),
            )
            for name, row in rows.items()
        ]
        found.sort(key=lambda r: (-sum(r.techniques.values()), -r.mentions, r.name))
        return found[:limit]

    def source_names(self) -> list[str]:
        """The stored articles' sources, most articles first ('(unknown)' for those without)."""
        key = sa.func.coalesce(articles.c.source, UNKNOWN)
        query = sa.select(key).group_by(key).order_by(sa.func.count().desc(), key)
        with self._errors(), self._engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def field_names(self) -> list[str]:
        """The names of the further fields stored articles have (``Article.fields``)."""
        query = sa.select(article_fields.c.name).distinct().order_by(article_fields.c.name)
        with self._errors(), self._engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def field_values(self, name: str, limit: int = 200) -> list[tuple[str, int]]:
        """A further field's values with their numbers of articles, most articles first."""
        f = article_fields.c
        query = (
            sa.select(f.value, sa.func.count())
            .where(f.name == name)
            .group_by(f.value)
            .order_by(sa.func.count().desc(), f.value)
            .limit(limit)
        )
        with self._errors(), self._engine.connect() as conn:
            return [(value, int(n)) for value, n in conn.execute(query)]

    def article_table(
        self, filters: Filters, *, groups: Sequence[str] = (), columns: str | None = None
    ) -> ArticleTable:
        """The filtered articles in id order, keyed by each of ``groups`` (source, month or a
        further field), with their spans per technique or category when ``columns`` names one."""
        keys = [self._group_key(group).label(f"key{i}") for i, group in enumerate(groups)]
        query = (
            sa.select(articles.c.id, articles.c.words, articles.c.n_spans, *keys)
            .where(*self._where(filters))
            .order_by(articles.c.id)
        )
        with self._errors(), self._engine.connect() as conn:
            rows = conn.execute(query).all()
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            names, matrix = (
                self._span_matrix(conn, filters, ids, columns) if columns else ([], None)
            )
        return ArticleTable(
            ids=ids,
            words=np.fromiter((r[1] or 0 for r in rows), dtype=np.int64, count=len(rows)),
            spans=np.fromiter((r[2] or 0 for r in rows), dtype=np.int64, count=len(rows)),
            keys=[tuple(str(key) for key in r[3:]) for r in rows],
            columns=names,
            matrix=matrix if matrix is not None else np.zeros((len(rows), 0), dtype=np.int64),
        )

    def _group_key(self, group: str) -> sa.ColumnElement[Any]:
        if group == "source":
            column: sa.ColumnElement[Any] = articles.c.source
        elif group == "month":
            column = sa.func.substr(articles.c.date, 1, 7)
        elif group in GROUPINGS:
            raise QueryError(f"cannot key articles by {group!r}")
        elif group in self.field_names():
            f = article_fields.c
            column = (
                sa.select(f.value)
                .where(f.article_id == articles.c.id, f.name == group)
                .scalar_subquery()
            )
        else:
            known = ", ".join([*GROUPINGS, *self.field_names()])
            raise QueryError(f"cannot group by {group!r}; use one of: {known}")
        return sa.func.coalesce(column, UNKNOWN)

    def _span_matrix(
        self,
        conn: sa.Connection,
        filters: Filters,
        ids: npt.NDArray[np.int64],
        columns: str,
    ) -> tuple[list[str], npt.NDArray[np.int64]]:
        """Spans per article (rows in the order of ``ids``) and technique or category."""
        if columns in ("technique", "category"):
            query = sa.select(counts.c.article_id, counts.c.technique, counts.c.n)
            article_column = counts.c.article_id
        else:
            value, kept = _span_attribute(columns)
            query = (
                sa.select(spans.c.article_id, value, sa.func.count())
                .where(spans.c.status != "rejected", *kept)
                .group_by(spans.c.article_id, value)
            )
            article_column = spans.c.article_id
        where = self._where(filters)
        if where:
            query = query.where(article_column.in_(sa.select(articles.c.id).where(*where)))
        found = conn.execute(query).all()
        known = set(ids.tolist())  # PostgreSQL may see an article stored in between
        found = [row for row in found if row[0] in known]
        label = (lambda t: category_of(t) or UNKNOWN) if columns == "category" else str
        names = sorted({label(technique) for _, technique, _ in found})
        column_of = {name: i for i, name in enumerate(names)}
        matrix = np.zeros((len(ids), len(names)), dtype=np.int64)
        if found:
            rows = np.searchsorted(ids, np.fromiter((r[0] for r in found), dtype=np.int64))
            cols = np.fromiter((column_of[label(r[1])] for r in found), dtype=np.int64)
            np.add.at(matrix, (rows, cols), np.fromiter((r[2] for r in found), dtype=np.int64))
        return names, matrix


def _span_attribute(
    name: str,
) -> tuple[sa.ColumnElement[Any], list[sa.ColumnElement[bool]]]:
    """The value a span is grouped by for ``name`` (voice, speaker, target), and which spans
    have one."""
    if name == "voice":
        return sa.func.coalesce(spans.c.voice, NOT_ATTRIBUTED), []
    if name == "speaker":
        return sa.func.coalesce(spans.c.speaker, UNNAMED), [spans.c.voice == "quoted"]
    return spans.c.target, [spans.c.target.is_not(None)]


def _row(key: str, n_articles: int, rates: GroupRates, column: int) -> StatRow:
    rate, mean = rates.rate(column), rates.mean(column)
    return StatRow(
        key=key,
        articles=n_articles,
        spans=int(rates.spans[column]),
        per_article=mean.value,
        per_article_low=mean.low,
        per_article_high=mean.high,
        words=rates.words,
        per_1000_words=rate.value,
        per_1000_words_low=rate.low,
        per_1000_words_high=rate.high,
    )
