"""SQLite: article ids are never reused (PostgreSQL's sequence never reuses one anyway).

SQLite gives a new row the largest id + 1, so deleting the newest article handed its id to the
next one and old links showed another article. The largest id ever given is kept in
``article_ids``; ``Store`` numbers new articles after it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        return
    op.execute("CREATE TABLE article_ids (last INTEGER NOT NULL)")
    op.execute("INSERT INTO article_ids (last) SELECT coalesce(max(id), 0) FROM articles")
    op.execute(
        "CREATE TRIGGER article_ids_insert AFTER INSERT ON articles BEGIN "
        "UPDATE article_ids SET last = max(last, new.id); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TRIGGER article_ids_insert")
        op.execute("DROP TABLE article_ids")
