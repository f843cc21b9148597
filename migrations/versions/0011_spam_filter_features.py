"""The spam filter records which features, with which key, its counts were learned with.

So `init-db` learns every decision again after an upgrade that changes the features or a new
SECRET_KEY. Empty here: the counts of a site at 0010 were learned with older features, and
the first `init-db` rebuilds them.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spam_filter_features",
        sa.Column("fingerprint", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("fingerprint"),
    )


def downgrade():
    op.drop_table("spam_filter_features")
