"""Articles get a word count (what corpus rates per 1,000 words divide by) and the further
metadata their feed gave (``article_fields``: e.g. an outlet's bias rating), to filter and group by.

The word counts of stored articles are computed here, as ``propscan.text.words.count_words``
counts new ones; stored articles have no further fields (their feeds' were not kept).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

from propscan.text.words import count_words

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_BATCH = 500


def upgrade() -> None:
    op.add_column("articles", sa.Column("words", sa.Integer, nullable=False, server_default="0"))
    op.create_table(
        "article_fields",
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("name", sa.String, primary_key=True),
        sa.Column("value", sa.String, nullable=False),
    )
    op.create_index("ix_article_fields_name_value", "article_fields", ["name", "value"])
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":  # re-index the text only when it changes
        op.execute("DROP TRIGGER articles_fts_update")
        op.execute(_SQLITE_FTS_UPDATE)
    ids = connection.execute(sa.text("SELECT id FROM articles ORDER BY id")).scalars().all()
    for first in range(0, len(ids), _BATCH):
        chunk = ids[first : first + _BATCH]
        rows = connection.execute(
            sa.text("SELECT id, text FROM articles WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": chunk},
        )
        updates = [{"id": i, "words": count_words(text)} for i, text in rows]
        if updates:
            connection.execute(
                sa.text("UPDATE articles SET words = :words WHERE id = :id"), updates
            )


def downgrade() -> None:
    op.drop_table("article_fields")
    op.drop_column("articles", "words")


_SQLITE_FTS_UPDATE = (
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
)
