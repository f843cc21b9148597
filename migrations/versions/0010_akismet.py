"""Akismet's second opinion: its answer on each comment it checked.

Also the last correction a moderator's decision reported to it.

No batch mode, as in 0006: SQLite adds the columns in place, and a rebuilt `comments` table
would lose the status-count triggers (see 0003).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "comments",
        sa.Column(
            "akismet_verdict",
            sa.Enum("ham", "spam", "discard", name="akismetverdict", native_enum=False, length=16),
            nullable=True,
        ),
    )
    op.add_column(
        "comments",
        sa.Column(
            "akismet_told",
            sa.Enum("spam", "good", name="spamlabel", native_enum=False, length=16),
            nullable=True,
        ),
    )


def downgrade():
    op.drop_column("comments", "akismet_told")
    op.drop_column("comments", "akismet_verdict")
