"""Articles, their spans and per-technique counts, failures, and full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("external_id", sa.String, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("source", sa.String),
        sa.Column("url", sa.Text),
        sa.Column("date", sa.String),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("model", sa.String, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("n_spans", sa.Integer, nullable=False),
        sa.Column("created", sa.String, nullable=False),
        sa.UniqueConstraint("content_hash", "model", name="uq_articles_hash_model"),
    )
    op.create_index("ix_articles_source", "articles", ["source"])
    op.create_index("ix_articles_date", "articles", ["date"])
    op.create_table(
        "spans",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE")),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("technique", sa.String, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
    )
    op.create_index("ix_spans_article", "spans", ["article_id"])
    op.create_table(
        "counts",
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("technique", sa.String, primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
    )
    op.create_index("ix_counts_technique", "counts", ["technique", "article_id", "n"])
    op.create_table(
        "failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("external_id", sa.String, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("created", sa.String, nullable=False),
        sa.UniqueConstraint("external_id", "content_hash", name="uq_failures_id_hash"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED"
        )
        op.execute("CREATE INDEX ix_articles_tsv ON articles USING gin (tsv)")
    else:
        for statement in _SQLITE_FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE articles_fts")
    for table in ("failures", "counts", "spans", "articles"):
        op.drop_table(table)


# An external-content FTS5 index over articles(title, text), kept in step by triggers.
_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
    "content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
)
