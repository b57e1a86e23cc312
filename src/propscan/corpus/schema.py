"""The corpus store's tables, as SQLAlchemy Core sees them (the Alembic migrations make them)."""

from __future__ import annotations

import sqlalchemy as sa

MAX_ID = 2**31 - 1  # the largest id (and offset) both backends take: PostgreSQL's INTEGER
UNKNOWN = "(unknown)"  # the group of articles without a source, a month or a category

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
    sa.Column("author", sa.Text),
    sa.Column("text", sa.Text),
    sa.Column("words", sa.Integer),
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
    sa.Column("voice", sa.String),
    sa.Column("speaker", sa.Text),
    sa.Column("target", sa.Text),
)
entities = sa.Table(
    "entities",
    _metadata,
    sa.Column("article_id", sa.Integer),
    sa.Column("name", sa.Text),
    sa.Column("type", sa.String),
    sa.Column("mentions", sa.Integer),
    sa.Column("main_role", sa.String),
    sa.Column("fine_roles", sa.Text),
    sa.Column("confidence", sa.Float),
)
FINE_ROLE_SEPARATOR = "; "
"""How an entity's fine roles are joined in ``entities.fine_roles``."""
counts = sa.Table(
    "counts",
    _metadata,
    sa.Column("article_id", sa.Integer),
    sa.Column("technique", sa.String),
    sa.Column("n", sa.Integer),
)
article_fields = sa.Table(
    "article_fields",
    _metadata,
    sa.Column("article_id", sa.Integer),
    sa.Column("name", sa.String),
    sa.Column("value", sa.String),
)
login_sessions = sa.Table(
    "login_sessions",
    _metadata,
    sa.Column("digest", sa.String),
    sa.Column("expires", sa.Float),
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
