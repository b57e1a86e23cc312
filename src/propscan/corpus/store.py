"""The corpus store: analysed articles in SQLite (default) or PostgreSQL, behind one interface.

``Store`` owns the connection and the writes; listing, statistics and review live in their own
modules (``listing``, ``statistics``, ``reviewing``) as the parts it is made of. The schema is
made and upgraded by the Alembic migrations in ``propscan/corpus/migrations`` whenever a store is
opened. Keyword search uses SQLite FTS5 or a PostgreSQL tsvector; both match articles whose title
or text contains every word of the query (stemmed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from propscan.article import Analysis, Article
from propscan.corpus.comparison import Comparing
from propscan.corpus.database import now
from propscan.corpus.filters import Filters
from propscan.corpus.login_sessions import LoginSessions
from propscan.corpus.records import (
    ArticleSummary,
    Failure,
    QueueItem,
    StatRow,
    StoredArticle,
    StoredSpan,
    content_hash,
)
from propscan.corpus.reviewing import Reviewing
from propscan.corpus.schema import (
    FINE_ROLE_SEPARATOR,
    MAX_ID,
    article_fields,
    articles,
    counts,
    entities,
    failures,
    spans,
)
from propscan.text.words import count_words

# The store's public names, in one place for its users.
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

_INSERT_ARTICLE = sa.insert(articles).returning(articles.c.id, sort_by_parameter_order=True)


def _article_row(analysis: Analysis, digest: str, created: str) -> dict[str, Any]:
    a = analysis.article
    return {
        "external_id": a.id,
        **a.metadata(),
        "text": a.text,
        "words": count_words(a.text),
        "content_hash": digest,
        "model": analysis.model,
        "score": analysis.score,
        "n_spans": len(analysis.spans),
        "created": created,
    }


LANGUAGE_FIELD = "language"
"""The field that keeps an article's language (detected unless its feed gave one)."""


def _fields_of(analysis: Analysis) -> list[tuple[str, str]]:
    """The fields stored with an article: its feed's, and its language unless the feed gave
    one."""
    fields = list(analysis.article.fields)
    given = {name for name, _ in fields}
    if analysis.language and LANGUAGE_FIELD not in given:
        fields.append((LANGUAGE_FIELD, analysis.language))
    return fields


class Store(Comparing, Reviewing, LoginSessions):
    """A corpus database: ``sqlite:///FILE`` (or a bare path), ``sqlite:///:memory:``, or
    ``postgresql://USER:PASSWORD@HOST/DB``; by default propscan.db in the user's data folder.
    Opening it creates or upgrades the schema (and the data folder for the default store)."""

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
        """Give the stored copy of ``article`` (same text and model) the title, source, URL,
        date, author and further fields that ``article`` has; those it lacks are kept. True when
        something changed."""
        given = {key: value for key, value in article.metadata().items() if value is not None}
        if not given and not article.fields:
            return False
        stored = sa.select(articles.c.id).where(
            articles.c.content_hash == content_hash(article.text), articles.c.model == model
        )
        with self._errors(), self._engine.begin() as conn:
            article_id = conn.execute(stored).scalar()
            if article_id is None:
                return False
            changed = False
            if given:
                differs = sa.or_(
                    *(articles.c[key].is_distinct_from(value) for key, value in given.items())
                )
                statement = (
                    sa.update(articles).where(articles.c.id == article_id, differs).values(**given)
                )
                changed = conn.execute(statement).rowcount > 0
            return self._set_fields(conn, article_id, dict(article.fields)) or changed

    def _set_fields(self, conn: sa.Connection, article_id: int, values: dict[str, str]) -> bool:
        """Give one article these further fields (others kept); True when one changed."""
        f = article_fields.c
        query = sa.select(f.name, f.value).where(f.article_id == article_id)
        old = {name: value for name, value in conn.execute(query)}
        new = {name: value for name, value in values.items() if old.get(name) != value}
        if not new:
            return False
        conn.execute(sa.delete(article_fields).where(f.article_id == article_id, f.name.in_(new)))
        conn.execute(
            sa.insert(article_fields),
            [{"article_id": article_id, "name": n, "value": v} for n, v in new.items()],
        )
        return True

    def hashes(self, model: str) -> set[str]:
        """The text hashes of every article stored as analysed by ``model``."""
        query = sa.select(articles.c.content_hash).where(articles.c.model == model)
        with self._errors(), self._engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def record_failure(self, external_id: str, content_hash: str, error: str) -> None:
        """Record (or update) why an article could not be read or analysed."""
        insert = postgresql.insert if self._postgres else sqlite.insert
        statement = insert(failures).values(
            external_id=external_id, content_hash=content_hash, error=error, created=now()
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
            conn.execute(sa.delete(article_fields).where(article_fields.c.article_id == id))
            return conn.execute(sa.delete(articles).where(articles.c.id == id)).rowcount > 0

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
        created = now()
        rows = [_article_row(a, digest, created) for (digest, _), a in new.items()]
        if not self._postgres:  # number after the largest id ever given: none is reused
            last = conn.execute(sa.text("SELECT last FROM article_ids")).scalar_one()
            rows = [row | {"id": last + i} for i, row in enumerate(rows, 1)]
        ids.update(zip(new, conn.execute(_INSERT_ARTICLE, rows).scalars(), strict=True))
        span_rows = [
            {"article_id": ids[key], "start": s.start, "end": s.end}
            | {"technique": s.technique, "score": s.score}
            | {"status": "predicted", "origin": a.model}
            | {"voice": s.voice, "speaker": s.speaker, "target": s.target}
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
        field_rows = [
            {"article_id": ids[key], "name": name, "value": value}
            for key, a in new.items()
            for name, value in _fields_of(a)
        ]
        if field_rows:
            conn.execute(sa.insert(article_fields), field_rows)
        entity_rows = [
            {"article_id": ids[key], "name": e.name, "type": e.type, "mentions": e.mentions}
            | {"main_role": e.main_role, "confidence": e.confidence}
            | {"fine_roles": FINE_ROLE_SEPARATOR.join(e.fine_roles)}
            for key, a in new.items()
            for e in a.entities or ()
        ]
        if entity_rows:
            conn.execute(sa.insert(entities), entity_rows)
        stored = [digest for digest, _ in new]
        conn.execute(sa.delete(failures).where(failures.c.content_hash.in_(stored)))
        return [ids[key] for key in keys]
