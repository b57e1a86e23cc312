"""Articles get an author (the byline a page or feed gives); stored dates become 'YYYY-MM-DD'.

Dates used to be stored as given, so a store may hold 'last tuesday' or '2019-02-30': each
date is read again as ``propscan.text.dates.iso_date`` reads new ones, and one that cannot be
read is cleared (the article keeps everything else).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

from propscan.text.dates import UnreadableDate, iso_date

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("author", sa.Text))
    connection = op.get_bind()
    dated = connection.execute(sa.text("SELECT id, date FROM articles WHERE date IS NOT NULL"))
    for article_id, value in dated.all():
        try:
            day: str | None = iso_date(value)
        except UnreadableDate:
            day = None
        if day != value:
            connection.execute(
                sa.text("UPDATE articles SET date = :day WHERE id = :id"),
                {"day": day, "id": article_id},
            )


def downgrade() -> None:
    op.drop_column("articles", "author")
