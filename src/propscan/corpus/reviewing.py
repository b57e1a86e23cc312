"""Reviewing stored predictions: verdicts, relabels, added fragments, the queue, review counts."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from propscan.article import Analysis, Article, Span
from propscan.corpus.connection import StoreConnection
from propscan.corpus.database import now
from propscan.corpus.filters import Filters
from propscan.corpus.records import QueueItem, StoredSpan, stored_span
from propscan.corpus.review import (
    ADDED,
    ReviewRow,
    Verdict,
    check_offsets,
    check_technique,
    relabel,
    review_rows,
    verdict_status,
)
from propscan.corpus.schema import MAX_ID, articles, counts, spans
from propscan.errors import InputError

CONTEXT = 80  # characters shown either side of a span in the review queue


class Reviewing(StoreConnection):
    """A reviewer's changes to stored spans and articles, and what is left to review."""

    def review_span(
        self,
        article_id: int,
        span_id: int,
        *,
        verdict: Verdict | None = None,
        technique: str | None = None,
        reviewer: str | None = None,
    ) -> StoredSpan | None:
        """Accept or reject one span of an article, or give it ``technique``; None when there
        is no such article or span. Accepting a rejected span restores it."""
        if (verdict is None) == (technique is None):
            raise InputError("give either a status (accepted or rejected) or a technique")
        if technique is not None:
            check_technique(technique)
        if not (1 <= article_id <= MAX_ID and 1 <= span_id <= MAX_ID):
            return None
        s = spans.c
        which = sa.and_(s.id == span_id, s.article_id == article_id)
        with self._errors(), self._engine.begin() as conn:
            row = conn.execute(sa.select(spans).where(which)).first()
            if row is None:
                return None
            values: dict[str, Any] = {"reviewer": reviewer, "reviewed": now()}
            if technique is not None:
                status, original = relabel(
                    row.origin, row.technique, row.original_technique, technique
                )
                values |= {"status": status, "original_technique": original, "technique": technique}
            else:
                assert verdict is not None
                values["status"] = verdict_status(verdict, row.origin, row.original_technique)
            conn.execute(sa.update(spans).where(which).values(**values))
            self._refresh(conn, article_id)
            return stored_span(conn.execute(sa.select(spans).where(which)).one())

    def add_span(
        self, article_id: int, start: int, end: int, technique: str, reviewer: str | None = None
    ) -> StoredSpan | None:
        """Add a fragment the model missed (status 'added', score 1); None when there is no
        such article. Raises InputError for offsets outside the text or an unknown technique."""
        check_technique(technique)
        if not 1 <= article_id <= MAX_ID:
            return None
        with self._errors(), self._engine.begin() as conn:
            text = conn.execute(
                sa.select(articles.c.text).where(articles.c.id == article_id)
            ).scalar_one_or_none()
            if text is None:
                return None
            check_offsets(text, start, end)
            values: dict[str, Any] = {"article_id": article_id, "start": start, "end": end}
            values |= {"technique": technique, "score": 1.0, "status": ADDED, "origin": ADDED}
            values |= {"reviewer": reviewer, "reviewed": now()}
            row = conn.execute(sa.insert(spans).values(**values).returning(*spans.c)).one()
            self._refresh(conn, article_id)
            return stored_span(row)

    def mark_reviewed(self, article_id: int, reviewer: str | None = None) -> bool:
        """Mark an article reviewed: its untouched predictions become accepted. False when
        there is no article with this id."""
        if not 1 <= article_id <= MAX_ID:
            return False
        when = now()
        with self._errors(), self._engine.begin() as conn:
            marked = conn.execute(
                sa.update(articles)
                .where(articles.c.id == article_id)
                .values(reviewed=when, reviewer=reviewer)
            ).rowcount
            conn.execute(
                sa.update(spans)
                .where(spans.c.article_id == article_id, spans.c.status == "predicted")
                .values(status="accepted", reviewer=reviewer, reviewed=when)
            )
        return marked > 0

    def review_queue(
        self, filters: Filters = Filters(), *, limit: int = 10, offset: int = 0
    ) -> tuple[int, list[QueueItem]]:
        """(how many, a page of) predictions not reviewed yet, in articles not marked
        reviewed, least sure (lowest score) first. ``filters.technique`` selects spans of it."""
        s, a = spans.c, articles.c
        where: list[sa.ColumnElement[bool] | sa.TextClause] = [
            s.status == "predicted",
            a.reviewed.is_(None),
            *self._where(replace(filters, technique=None)),
        ]
        if filters.technique is not None:
            where.append(s.technique == filters.technique)
        joined = spans.join(articles, a.id == s.article_id)
        query = (
            sa.select(spans, a.title, a.source, a.text.label("article_text"))
            .select_from(joined)
            .where(*where)
            .order_by(s.score, s.id)
            .limit(limit)
            .offset(offset)
        )
        total_query = sa.select(sa.func.count()).select_from(joined).where(*where)
        with self._errors(), self._engine.connect() as conn:
            total = int(conn.execute(total_query).scalar_one())
            rows = conn.execute(query).all()
        items = [
            QueueItem(
                article_id=row.article_id,
                title=row.title,
                source=row.source,
                span=stored_span(row),
                text=row.article_text[row.start : row.end],
                before=row.article_text[max(row.start - CONTEXT, 0) : row.start],
                after=row.article_text[row.end : row.end + CONTEXT],
            )
            for row in rows
        ]
        return total, items

    def review_stats(self, filters: Filters = Filters()) -> list[ReviewRow]:
        """Per technique (the model's, for relabelled spans): predictions not reviewed,
        accepted, rejected and relabelled, and fragments reviewers added."""
        s = spans.c
        technique = sa.func.coalesce(s.original_technique, s.technique).label("technique")
        origin = sa.case((s.origin == ADDED, ADDED), else_="model").label("origin")
        query = sa.select(technique, s.status, origin, sa.func.count()).group_by(
            technique, s.status, origin
        )
        where = self._where(filters)
        if where:
            query = query.where(s.article_id.in_(sa.select(articles.c.id).where(*where)))
        with self._errors(), self._engine.connect() as conn:
            groups = [(str(t), str(st), str(o), int(n)) for t, st, o, n in conn.execute(query)]
        return review_rows(groups)

    def _refresh(self, conn: sa.Connection, article_id: int) -> None:
        """Bring an article's score, span number and technique counts in line with its spans
        as reviewed (rejected ones left out)."""
        s = spans.c
        text = conn.execute(sa.select(articles.c.text).where(articles.c.id == article_id))
        kept = conn.execute(
            sa.select(s.start, s.end, s.technique, s.score).where(
                s.article_id == article_id, s.status != "rejected"
            )
        )
        analysis = Analysis(Article("", text.scalar_one()), tuple(Span(*row) for row in kept))
        conn.execute(
            sa.update(articles)
            .where(articles.c.id == article_id)
            .values(score=analysis.score, n_spans=len(analysis.spans))
        )
        conn.execute(sa.delete(counts).where(counts.c.article_id == article_id))
        if analysis.counts:
            conn.execute(
                sa.insert(counts),
                [
                    {"article_id": article_id, "technique": technique, "n": n}
                    for technique, n in analysis.counts.items()
                ],
            )
