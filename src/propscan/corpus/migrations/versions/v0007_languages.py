"""Every stored article gets its language as a field (``language``: an ISO 639-1 code, ``und``
when unclear), detected as new articles are (``propscan.text.language``), so that stats,
filters and comparisons can use it like any field a feed gave. An article whose feed gave a
``language`` field keeps it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

from propscan.text.language import detect_language

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_BATCH = 500


def upgrade() -> None:
    connection = op.get_bind()
    ids = (
        connection.execute(
            sa.text(
                "SELECT id FROM articles WHERE id NOT IN "
                "(SELECT article_id FROM article_fields WHERE name = 'language') ORDER BY id"
            )
        )
        .scalars()
        .all()
    )
    for first in range(0, len(ids), _BATCH):
        rows = connection.execute(
            sa.text("SELECT id, text FROM articles WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": ids[first : first + _BATCH]},
        )
        values = [{"id": i, "value": detect_language(text or "").language} for i, text in rows]
        if values:
            connection.execute(
                sa.text(
                    "INSERT INTO article_fields (article_id, name, value) "
                    "VALUES (:id, 'language', :value)"
                ),
                values,
            )


def downgrade() -> None:
    op.execute("DELETE FROM article_fields WHERE name = 'language'")
