"""Corpus statistics: articles and technique spans per technique, category, source or month."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

import sqlalchemy as sa

from propscan.corpus.filters import Filters
from propscan.corpus.listing import Listing
from propscan.corpus.records import StatRow
from propscan.corpus.schema import UNKNOWN, articles, counts
from propscan.errors import StoreError
from propscan.techniques import category_of

By = Literal["technique", "category", "source", "month"]


class Statistics(Listing):
    """Grouped counts over the articles that pass a filter."""

    def stats(self, by: By, filters: Filters = Filters()) -> list[StatRow]:
        """Articles and technique spans per technique, SemEval-2023 category, source or month
        ('YYYY-MM').

        By technique, ``articles`` counts the articles with at least one span of it and
        ``per_article`` divides its spans by all the filtered articles; rows are sorted by
        spans. By source (most articles first) or month (in order), articles without one are
        grouped under '(unknown)'. By category, spans count under their technique's category
        (``techniques.category_of``) and rows are sorted as by technique.
        """
        if by == "category":
            return self._category_stats(filters)
        where = self._where(filters)
        total = self.count(filters) if by == "technique" else 0
        if by == "technique":
            key: sa.ColumnElement[Any] = counts.c.technique
            query = (
                sa.select(key, sa.func.count(), sa.func.sum(counts.c.n))
                .group_by(key)
                .order_by(sa.func.sum(counts.c.n).desc(), key)
            )
            if where:
                kept = sa.select(articles.c.id).where(*where)
                query = query.where(counts.c.article_id.in_(kept))
        elif by in ("source", "month"):
            column = articles.c.source if by == "source" else sa.func.substr(articles.c.date, 1, 7)
            key = sa.func.coalesce(column, UNKNOWN).label("key")
            order = (sa.func.count().desc(), key) if by == "source" else (key,)
            query = (
                sa.select(key, sa.func.count(), sa.func.sum(articles.c.n_spans))
                .where(*where)
                .group_by(key)
                .order_by(*order)
            )
        else:
            raise StoreError(f"cannot group by {by!r}; use technique, source or month")
        with self._errors(), self._engine.connect() as conn:
            rows = conn.execute(query).all()
        result = []
        for group, n_articles, n_spans in rows:
            denominator = total if by == "technique" else n_articles
            n = int(n_spans or 0)
            result.append(
                StatRow(str(group), int(n_articles), n, n / denominator if denominator else 0.0)
            )
        return result

    def _category_stats(self, filters: Filters) -> list[StatRow]:
        """``stats(by="category")``: the per-technique counts, regrouped in Python."""
        query = sa.select(counts.c.article_id, counts.c.technique, counts.c.n)
        where = self._where(filters)
        if where:
            query = query.where(counts.c.article_id.in_(sa.select(articles.c.id).where(*where)))
        total = self.count(filters)
        with self._errors(), self._engine.connect() as conn:
            rows = conn.execute(query).all()
        ids: dict[str, set[int]] = {}
        spans: Counter[str] = Counter()
        for article_id, technique, n in rows:
            category = category_of(technique) or UNKNOWN
            ids.setdefault(category, set()).add(article_id)
            spans[category] += int(n)
        ranked = sorted(spans, key=lambda c: (-spans[c], c))
        return [
            StatRow(c, len(ids[c]), spans[c], spans[c] / total if total else 0.0) for c in ranked
        ]
