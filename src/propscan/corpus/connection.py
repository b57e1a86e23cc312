"""The connection every part of the store shares: engine, error messages, the filter SQL and
the loading of whole articles."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Self

import alembic.util
import sqlalchemy as sa

from propscan.article import Analysis, Article, Entity, Span, aimed_at, ranked
from propscan.corpus.database import create_engine, migrate, printable
from propscan.corpus.filters import Filters, where_clauses
from propscan.corpus.records import StoredArticle, StoredSpan, stored_entity, stored_span
from propscan.corpus.schema import article_fields, articles, entities, spans
from propscan.errors import StoreError
from propscan.paths import default_db_url


class StoreConnection:
    """A corpus database: ``sqlite:///FILE`` (or a bare path), ``sqlite:///:memory:``, or
    ``postgresql://USER:PASSWORD@HOST/DB``; by default propscan.db in the user's data folder.
    Opening it creates or upgrades the schema (and the data folder for the default store)."""

    def __init__(self, url: str | None = None) -> None:
        url = url or default_db_url()
        self._engine = create_engine(url)
        self.url = sa.make_url(url if "://" in url else f"sqlite:///{url}").render_as_string(
            hide_password=True
        )
        self._postgres = self._engine.dialect.name == "postgresql"
        with self._errors():
            migrate(self._engine)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def _where(self, filters: Filters) -> list[sa.ColumnElement[bool] | sa.TextClause]:
        return where_clauses(filters, postgres=self._postgres)

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
            by_article.setdefault(row.article_id, []).append(stored_span(row))
        fields: dict[int, list[tuple[str, str]]] = {}
        f = article_fields.c
        field_rows = conn.execute(
            sa.select(f.article_id, f.name, f.value).where(f.article_id.in_(ids)).order_by(f.name)
        )
        for article_id, name, value in field_rows:
            fields.setdefault(article_id, []).append((name, value))
        named: dict[int, list[Entity]] = {}
        e = entities.c
        for row in conn.execute(sa.select(entities).where(e.article_id.in_(ids))):
            named.setdefault(row.article_id, []).append(stored_entity(row))
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
                author=row.author,
                fields=tuple(fields.get(row.id, ())),
            )
            kept = tuple(span.span for span in every if span.status != "rejected")
            found.append(
                StoredArticle(
                    id=row.id,
                    analysis=Analysis(
                        article,
                        kept,
                        model=row.model,
                        language=dict(fields.get(row.id, ())).get("language"),
                        entities=_with_aims(named[row.id], kept) if row.id in named else None,
                    ),
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
            raise StoreError(f"{self.url}: {printable(reason)}") from error
        except alembic.util.CommandError as error:  # e.g. a version no propscan ever wrote
            raise StoreError(
                f"{self.url}: not a propscan store, or a damaged one ({printable(str(error))})"
            ) from error


def _with_aims(found: list[Entity], kept: Sequence[Span]) -> tuple[Entity, ...]:
    """Stored entities with the techniques the article's kept spans aim at them, ranked."""
    aimed = aimed_at(kept)
    return ranked(replace(e, techniques=aimed.get(e.name, {})) for e in found)
