"""Spans get their voice (author or quoted), speaker and target, and articles their named
entities with the roles they are cast in (``propscan analyze --entities``).

Stored spans were analysed without attribution: their voice, speaker and target stay empty,
and their articles have no entities.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("spans") as batch:
        batch.add_column(sa.Column("voice", sa.String))
        batch.add_column(sa.Column("speaker", sa.Text))
        batch.add_column(sa.Column("target", sa.Text))
    op.create_table(
        "entities",
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("type", sa.String, nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.Column("main_role", sa.String),
        sa.Column("fine_roles", sa.Text, nullable=False, server_default=""),
        sa.Column("confidence", sa.Float),
    )
    op.create_index("ix_entities_name", "entities", ["name"])


def downgrade() -> None:
    op.drop_index("ix_entities_name", "entities")
    op.drop_table("entities")
    with op.batch_alter_table("spans") as batch:
        batch.drop_column("target")
        batch.drop_column("speaker")
        batch.drop_column("voice")
