"""Review: every span gets an id, an origin, a status and its review; articles a review mark.

A span's ``origin`` is the model that predicted it (its article's model) or 'added'; its
``status`` one of predicted, accepted, rejected, corrected (relabelled, ``original_technique``
keeps the model's label) and added; ``reviewer`` and ``reviewed`` (an ISO time) say who
reviewed it and when. Existing spans become predictions of their article's model. The spans
table is rebuilt (SQLite cannot add a primary key to a table), keeping every row.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_COPY = (
    'INSERT INTO spans_new (article_id, start, "end", technique, score, status, origin) '
    "SELECT s.article_id, s.start, s.\"end\", s.technique, s.score, 'predicted', a.model "
    "FROM spans s JOIN articles a ON a.id = s.article_id "
    'ORDER BY s.article_id, s.start, s."end", s.technique'
)


def upgrade() -> None:
    op.create_table(
        "spans_new",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("technique", sa.String, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("origin", sa.String, nullable=False),
        sa.Column("original_technique", sa.String),
        sa.Column("reviewer", sa.String),
        sa.Column("reviewed", sa.String),
    )
    op.execute(_COPY)
    op.drop_table("spans")
    op.rename_table("spans_new", "spans")
    op.create_index("ix_spans_article", "spans", ["article_id"])
    op.create_index("ix_spans_status_score", "spans", ["status", "score"])
    op.add_column("articles", sa.Column("reviewed", sa.String))
    op.add_column("articles", sa.Column("reviewer", sa.String))


def downgrade() -> None:
    """Back to unreviewed spans: rejected spans go, every other keeps its current label."""
    op.create_table(
        "spans_old",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE")),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("technique", sa.String, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
    )
    op.execute(
        'INSERT INTO spans_old (article_id, start, "end", technique, score) '
        'SELECT article_id, start, "end", technique, score FROM spans '
        "WHERE status <> 'rejected' ORDER BY id"
    )
    op.drop_table("spans")
    op.rename_table("spans_old", "spans")
    op.create_index("ix_spans_article", "spans", ["article_id"])
    op.drop_column("articles", "reviewer")
    op.drop_column("articles", "reviewed")
