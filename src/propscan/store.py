"""The corpus store: analysed articles in SQLite (default) or PostgreSQL, behind one interface.

The schema is made and upgraded by the Alembic migrations in ``propscan/migrations`` whenever a
store is opened. Keyword search uses SQLite FTS5 or a PostgreSQL tsvector; both match articles
whose title or text contains every word of the query (stemmed).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import alembic.util
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool

from propscan.article import Analysis, Article, Span
from propscan.errors import InputError, StoreError
from propscan.paths import data_dir, default_db_url, sqlite_path
from propscan.review import (
    ADDED,
    ReviewRow,
    Verdict,
    check_offsets,
    check_technique,
    relabel,
    review_rows,
    verdict_status,
)
from propscan.techniques import category_of

__all__ = [
    "MAX_ID",
    "ArticleSummary",
    "Failure",
    "Filters",
    "QueueItem",
    "StatRow",
    "Store",
    "StoredArticle",
    "StoredSpan",
    "content_hash",
]

MAX_ID = 2**31 - 1  # the largest id (and offset) both backends take: PostgreSQL's INTEGER
UNKNOWN = "(unknown)"
CONTEXT = 80  # characters shown either side of a span in the review queue
By = Literal["technique", "category", "source", "month"]
_WORD = re.compile(r"\w+")

_metadata = sa.MetaData()
articles = sa.Table(
    "articles",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("external_id", sa.String),
    sa.Column("title", sa.Text),
    sa.Column("source", sa.String),
    sa.Column("url", sa.Text),
    sa.Column("date", sa.String),
    sa.Column("text", sa.Text),
    sa.Column("content_hash", sa.String),
    sa.Column("model", sa.String),
    sa.Column("score", sa.Float),
    sa.Column("n_spans", sa.Integer),
    sa.Column("created", sa.String),
    sa.Column("reviewed", sa.String),
    sa.Column("reviewer", sa.String),
)
spans = sa.Table(
    "spans",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("article_id", sa.Integer),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    sa.Column("technique", sa.String),
    sa.Column("score", sa.Float),
    sa.Column("status", sa.String),
    sa.Column("origin", sa.String),
    sa.Column("original_technique", sa.String),
    sa.Column("reviewer", sa.String),
    sa.Column("reviewed", sa.String),
)
counts = sa.Table(
    "counts",
    _metadata,
    sa.Column("article_id", sa.Integer),
    sa.Column("technique", sa.String),
    sa.Column("n", sa.Integer),
)
failures = sa.Table(
    "failures",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("external_id", sa.String),
    sa.Column("content_hash", sa.String),
    sa.Column("error", sa.Text),
    sa.Column("created", sa.String),
)


@dataclass(frozen=True)
class StoredSpan:
    """A stored span and its review (see ``propscan.review``): ``origin`` is the model that
    predicted it or 'added'; ``reviewed`` is when a reviewer last changed it."""

    id: int
    start: int
    end: int
    technique: str
    score: float
    status: str
    origin: str
    original_technique: str | None = None
    reviewer: str | None = None
    reviewed: str | None = None

    @property
    def span(self) -> Span:
        """The span as an analysis holds it."""
        return Span(self.start, self.end, self.technique, self.score)


@dataclass(frozen=True)
class StoredArticle:
    """An analysis as stored: its database id, text hash and when it was stored.

    ``analysis`` holds the spans as reviewed (rejected ones left out, corrections and
    additions in); ``spans`` holds every stored span with its review, rejected ones included.
    ``reviewed`` is when a reviewer marked the whole article reviewed, if one did.
    """

    id: int
    analysis: Analysis
    content_hash: str
    created: str
    spans: tuple[StoredSpan, ...] = ()
    reviewed: str | None = None
    reviewer: str | None = None


@dataclass(frozen=True)
class QueueItem:
    """An unreviewed prediction in the review queue, with its article's title and source."""

    article_id: int
    title: str | None
    source: str | None
    span: StoredSpan
    text: str
    before: str
    after: str


@dataclass(frozen=True)
class ArticleSummary:
    """One row of a listing: metadata, score and technique counts, no text and no spans."""

    id: int
    external_id: str
    title: str | None
    source: str | None
    url: str | None
    date: str | None
    model: str
    score: float
    counts: dict[str, int]
    created: str


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


@dataclass(frozen=True)
class StatRow:
    """One group of a statistic (see ``Store.stats``)."""

    key: str
    articles: int
    spans: int
    per_article: float


@dataclass(frozen=True)
class Failure:
    """An article that could not be read or analysed, with the reason."""

    external_id: str
    content_hash: str
    error: str
    created: str


def content_hash(text: str) -> str:
    """The SHA-256 of an article's UTF-8 text: how the store recognises an article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_INSERT_ARTICLE = sa.insert(articles).returning(articles.c.id, sort_by_parameter_order=True)


def _article_row(analysis: Analysis, digest: str, created: str) -> dict[str, Any]:
    a = analysis.article
    return {
        "external_id": a.id,
        "title": a.title,
        "source": a.source,
        "url": a.url,
        "date": a.date,
        "text": a.text,
        "content_hash": digest,
        "model": analysis.model,
        "score": analysis.score,
        "n_spans": len(analysis.spans),
        "created": created,
    }


def _stored_span(row: sa.Row[Any]) -> StoredSpan:
    return StoredSpan(
        id=row.id,
        start=row.start,
        end=row.end,
        technique=row.technique,
        score=row.score,
        status=row.status,
        origin=row.origin,
        original_technique=row.original_technique,
        reviewer=row.reviewer,
        reviewed=row.reviewed,
    )


def _iso_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise StoreError(f"not a date: {value!r}; use YYYY-MM-DD") from None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """A corpus database: ``sqlite:///FILE`` (or a bare path), ``sqlite:///:memory:``, or
    ``postgresql://USER:PASSWORD@HOST/DB``; by default propscan.db in the user's data folder.
    Opening it creates or upgrades the schema (and the data folder for the default store)."""

    def __init__(self, url: str | None = None) -> None:
        url = url or default_db_url()
        self._engine = _create_engine(url)
        self.url = sa.make_url(url if "://" in url else f"sqlite:///{url}").render_as_string(
            hide_password=True
        )
        self._postgres = self._engine.dialect.name == "postgresql"
        with self._errors():
            _migrate(self._engine)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def add(self, analysis: Analysis) -> int:
        """Store an analysis atomically (article, spans, counts) and return its id.

        An article already stored with the same text and model is kept and its id returned.
        """
        return self.add_many([analysis])[0]

    def add_many(self, analyses: Iterable[Analysis]) -> list[int]:
        """Store several analyses in one transaction (all or none); return their ids."""
        batch = list(analyses)
        with self._errors():
            try:
                with self._engine.begin() as conn:
                    return self._insert(conn, batch)
            except sa.exc.IntegrityError:  # another writer stored one of them meanwhile: retry
                with self._engine.begin() as conn:
                    return self._insert(conn, batch)

    def contains(self, content_hash: str, model: str) -> bool:
        """Whether an article with this text hash has been stored as analysed by ``model``."""
        query = sa.select(articles.c.id).where(
            articles.c.content_hash == content_hash, articles.c.model == model
        )
        with self._errors(), self._engine.connect() as conn:
            return conn.execute(query.limit(1)).first() is not None

    def update_metadata(self, article: Article, model: str) -> bool:
        """Give the stored copy of ``article`` (same text and model) the title, source, URL and
        date that ``article`` has; fields it lacks are kept. True when something changed."""
        given = {
            key: value
            for key in ("title", "source", "url", "date")
            if (value := getattr(article, key)) is not None
        }
        if not given:
            return False
        changed = sa.or_(*(articles.c[key].is_distinct_from(value) for key, value in given.items()))
        statement = (
            sa.update(articles)
            .where(
                articles.c.content_hash == content_hash(article.text),
                articles.c.model == model,
                changed,
            )
            .values(**given)
        )
        with self._errors(), self._engine.begin() as conn:
            return conn.execute(statement).rowcount > 0

    def hashes(self, model: str) -> set[str]:
        """The text hashes of every article stored as analysed by ``model``."""
        query = sa.select(articles.c.content_hash).where(articles.c.model == model)
        with self._errors(), self._engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def record_failure(self, external_id: str, content_hash: str, error: str) -> None:
        """Record (or update) why an article could not be read or analysed."""
        insert = postgresql.insert if self._postgres else sqlite.insert
        statement = insert(failures).values(
            external_id=external_id, content_hash=content_hash, error=error, created=_now()
        )
        statement = statement.on_conflict_do_update(
            index_elements=["external_id", "content_hash"],
            set_={"error": statement.excluded.error, "created": statement.excluded.created},
        )
        with self._errors(), self._engine.begin() as conn:
            conn.execute(statement)

    def failures(self) -> list[Failure]:
        """Articles that failed and have not been stored since, oldest first."""
        query = sa.select(
            failures.c.external_id, failures.c.content_hash, failures.c.error, failures.c.created
        ).order_by(failures.c.id)
        with self._errors(), self._engine.connect() as conn:
            return [Failure(*row) for row in conn.execute(query)]

    def get(self, id: int) -> StoredArticle | None:
        """The stored article with this database id, with its text and spans."""
        if not 1 <= id <= MAX_ID:
            return None
        with self._errors(), self._engine.connect() as conn:
            found = self._load(conn, [id])
        return found[0] if found else None

    def iter_articles(
        self, filters: Filters = Filters(), *, chunk: int = 500
    ) -> Iterator[StoredArticle]:
        """Every stored article that passes ``filters``, in id order, read ``chunk`` at a time."""
        last = 0
        while True:
            query = (
                sa.select(articles.c.id)
                .where(articles.c.id > last, *self._where(filters))
                .order_by(articles.c.id)
                .limit(chunk)
            )
            with self._errors(), self._engine.connect() as conn:
                ids = list(conn.execute(query).scalars())
                batch = self._load(conn, ids)
            yield from batch
            if len(ids) < chunk:
                return
            last = ids[-1]

    def delete(self, id: int) -> bool:
        """Remove a stored article; False when there was none with this id."""
        if not 1 <= id <= MAX_ID:
            return False
        with self._errors(), self._engine.begin() as conn:
            conn.execute(sa.delete(spans).where(spans.c.article_id == id))
            conn.execute(sa.delete(counts).where(counts.c.article_id == id))
            return conn.execute(sa.delete(articles).where(articles.c.id == id)).rowcount > 0

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
            values: dict[str, Any] = {"reviewer": reviewer, "reviewed": _now()}
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
            return _stored_span(conn.execute(sa.select(spans).where(which)).one())

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
            values |= {"reviewer": reviewer, "reviewed": _now()}
            row = conn.execute(sa.insert(spans).values(**values).returning(*spans.c)).one()
            self._refresh(conn, article_id)
            return _stored_span(row)

    def mark_reviewed(self, article_id: int, reviewer: str | None = None) -> bool:
        """Mark an article reviewed: its untouched predictions become accepted. False when
        there is no article with this id."""
        if not 1 <= article_id <= MAX_ID:
            return False
        now = _now()
        with self._errors(), self._engine.begin() as conn:
            marked = conn.execute(
                sa.update(articles)
                .where(articles.c.id == article_id)
                .values(reviewed=now, reviewer=reviewer)
            ).rowcount
            conn.execute(
                sa.update(spans)
                .where(spans.c.article_id == article_id, spans.c.status == "predicted")
                .values(status="accepted", reviewer=reviewer, reviewed=now)
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
                span=_stored_span(row),
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

    def _where(self, filters: Filters) -> list[sa.ColumnElement[bool] | sa.TextClause]:
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
        if filters.date_to:  # dates may carry a time: compare with the next day, index-friendly
            clauses.append(a.date < (_iso_day(filters.date_to) + timedelta(days=1)).isoformat())
        words = _WORD.findall(filters.q or "")
        if words and self._postgres:
            clauses.append(
                sa.text("articles.tsv @@ plainto_tsquery('english', :q)").bindparams(
                    q=" ".join(words)
                )
            )
        elif words:
            clauses.append(
                sa.text(
                    "articles.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q)"
                ).bindparams(q=" ".join(f'"{word}"' for word in words))
            )
        return clauses

    def _insert(self, conn: sa.Connection, analyses: Sequence[Analysis]) -> list[int]:
        """Insert the analyses not stored yet (three statements in all); every one's id."""
        keys = [(content_hash(a.article.text), a.model) for a in analyses]
        ids: dict[tuple[str, str], int] = {}
        for model in {model for _, model in keys}:
            hashes = [digest for digest, m in keys if m == model]
            query = sa.select(articles.c.id, articles.c.content_hash).where(
                articles.c.model == model, articles.c.content_hash.in_(hashes)
            )
            ids.update(((digest, model), i) for i, digest in conn.execute(query))
        new = {key: a for key, a in zip(keys, analyses, strict=True) if key not in ids}
        if not new:
            return [ids[key] for key in keys]
        created = _now()
        rows = [_article_row(a, digest, created) for (digest, _), a in new.items()]
        if not self._postgres:  # number after the largest id ever given: none is reused
            last = conn.execute(sa.text("SELECT last FROM article_ids")).scalar_one()
            rows = [row | {"id": last + i} for i, row in enumerate(rows, 1)]
        ids.update(zip(new, conn.execute(_INSERT_ARTICLE, rows).scalars(), strict=True))
        span_rows = [
            {"article_id": ids[key], "start": s.start, "end": s.end}
            | {"technique": s.technique, "score": s.score}
            | {"status": "predicted", "origin": a.model}
            for key, a in new.items()
            for s in a.spans
        ]
        count_rows = [
            {"article_id": ids[key], "technique": technique, "n": n}
            for key, a in new.items()
            for technique, n in a.counts.items()
        ]
        if span_rows:
            conn.execute(sa.insert(spans), span_rows)
            conn.execute(sa.insert(counts), count_rows)
        stored = [digest for digest, _ in new]
        conn.execute(sa.delete(failures).where(failures.c.content_hash.in_(stored)))
        return [ids[key] for key in keys]

    def _counts(self, conn: sa.Connection, ids: Sequence[int]) -> dict[int, dict[str, int]]:
        found: dict[int, dict[str, int]] = {}
        if ids:
            query = (
                sa.select(counts).where(counts.c.article_id.in_(ids)).order_by(counts.c.technique)
            )
            for article_id, technique, n in conn.execute(query):
                found.setdefault(article_id, {})[technique] = n
        return found

    def _load(self, conn: sa.Connection, ids: Sequence[int]) -> list[StoredArticle]:
        if not ids:
            return []
        rows = conn.execute(
            sa.select(articles).where(articles.c.id.in_(ids)).order_by(articles.c.id)
        ).all()
        by_article: dict[int, list[StoredSpan]] = {}
        s = spans.c
        span_rows = conn.execute(
            sa.select(spans)
            .where(s.article_id.in_(ids))
            .order_by(s.start, s.end, s.technique, s.id)
        )
        for row in span_rows:
            by_article.setdefault(row.article_id, []).append(_stored_span(row))
        found = []
        for row in rows:
            every = tuple(by_article.get(row.id, ()))
            article = Article(
                id=row.external_id,
                text=row.text,
                title=row.title,
                source=row.source,
                url=row.url,
                date=row.date,
            )
            kept = tuple(span.span for span in every if span.status != "rejected")
            found.append(
                StoredArticle(
                    id=row.id,
                    analysis=Analysis(article, kept, model=row.model),
                    content_hash=row.content_hash,
                    created=row.created,
                    spans=every,
                    reviewed=row.reviewed,
                    reviewer=row.reviewer,
                )
            )
        return found

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Re-raise database errors as StoreError, naming the store (without its password)."""
        try:
            yield
        except sa.exc.SQLAlchemyError as error:
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            raise StoreError(f"{self.url}: {_printable(reason)}") from error
        except alembic.util.CommandError as error:  # e.g. a version no propscan ever wrote
            raise StoreError(
                f"{self.url}: not a propscan store, or a damaged one ({_printable(str(error))})"
            ) from error


def _printable(reason: str, limit: int = 300) -> str:
    """An error message without the raw bytes a damaged database may put in it."""
    shown = "".join(ch if ch.isprintable() else "\ufffd" for ch in reason)
    return shown if len(shown) <= limit else shown[:limit] + "…"


def _create_engine(url: str) -> sa.Engine:
    """An engine for a store URL: a bare path means SQLite, 'postgresql://' means psycopg 3."""
    if "://" not in url:
        url = f"sqlite:///{url}"
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(
            f"not a database URL: {url!r}; use sqlite:///FILE or postgresql://USER@HOST/DB"
        ) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        try:
            engine = sa.create_engine(
                parsed.set(drivername="postgresql+psycopg"), pool_pre_ping=True
            )
        except ImportError:
            raise StoreError("PostgreSQL needs pip install 'propscan[postgres]'") from None
    elif backend == "sqlite":
        memory = parsed.database in (None, "", ":memory:")
        path = sqlite_path(url)
        if path is not None and path.parent == data_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            parsed,
            **({"poolclass": StaticPool} if memory else {}),
            connect_args={"check_same_thread": False, "timeout": 60},
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        raise StoreError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """WAL: readers do not block the writer, and a killed writer loses no committed article.

    Switching a new file to WAL can fail at once with "database is locked" while another
    process creates the same store (SQLite's busy timeout does not cover it): retry it."""
    cursor = connection.cursor()
    deadline = time.monotonic() + 60
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_MIGRATION_LOCK = 0x70726F7073  # any constant: the PostgreSQL advisory lock of migrations


def _migrate(engine: sa.Engine) -> None:
    """Create or upgrade the schema to the newest Alembic revision, one process at a time:
    under SQLite's write lock (BEGIN IMMEDIATE) or a PostgreSQL advisory lock, so that a
    process opening the store while another migrates it waits, then finds the schema made."""
    config = Config()
    config.set_main_option("script_location", "propscan:migrations")
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
