"""Login sessions of the web app live in the store, so that every worker process of a server
(``propscan serve --workers N``) knows them and they outlast a restart. Only a hash of each
session id is kept.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_sessions",
        sa.Column("digest", sa.String, primary_key=True),
        sa.Column("expires", sa.Float, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("login_sessions")
