"""Listing and counting stored articles (metadata, score and technique counts, no text)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from propscan.corpus.connection import StoreConnection
from propscan.corpus.filters import Filters
from propscan.corpus.records import ArticleSummary
from propscan.corpus.schema import articles, counts


class Listing(StoreConnection):
    """Pages of article summaries that pass a filter, and how many there are."""

    def search(
        self, filters: Filters = Filters(), *, limit: int = 50, offset: int = 0
    ) -> list[ArticleSummary]:
        """Stored articles that pass ``filters``, newest first."""
        a = articles.c
        query = (
            sa.select(
                a.id, a.external_id, a.title, a.source, a.url, a.date, a.model, a.score, a.created
            )
            .where(*self._where(filters))
            .order_by(a.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self._errors(), self._engine.connect() as conn:
            rows = conn.execute(query).all()
            by_article = self._counts(conn, [row.id for row in rows])
        return [
            ArticleSummary(
                id=row.id,
                external_id=row.external_id,
                title=row.title,
                source=row.source,
                url=row.url,
                date=row.date,
                model=row.model,
                score=row.score,
                counts=by_article.get(row.id, {}),
                created=row.created,
            )
            for row in rows
        ]

    def count(self, filters: Filters = Filters()) -> int:
        """How many stored articles pass ``filters``."""
        query = sa.select(sa.func.count()).select_from(articles).where(*self._where(filters))
        with self._errors(), self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def _counts(self, conn: sa.Connection, ids: Sequence[int]) -> dict[int, dict[str, int]]:
        found: dict[int, dict[str, int]] = {}
        if ids:
            query = (
                sa.select(counts).where(counts.c.article_id.in_(ids)).order_by(counts.c.technique)
            )
            for article_id, technique, n in conn.execute(query):
                found.setdefault(article_id, {})[technique] = n
        return found
