"""The spam filter: feature counts by keyed hash, and each comment's score and lesson.

No batch mode: SQLite adds columns in place, and a rebuilt `comments` table would lose the
status-count triggers (see 0003).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spam_filter_counts",
        sa.Column("feature_hash", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("spam", sa.Integer(), nullable=False),
        sa.Column("good", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("feature_hash"),
    )
    op.add_column("comments", sa.Column("spam_score", sa.Float(), nullable=True))
    op.add_column(
        "comments",
        sa.Column(
            "taught_as",
            sa.Enum("spam", "good", name="spamlabel", native_enum=False, length=16),
            nullable=True,
        ),
    )
    op.add_column("comments", sa.Column("taught_features", sa.JSON(), nullable=True))
    op.create_index("ix_comments_status_spam_score", "comments", ["status", "spam_score"])


def downgrade():
    op.drop_index("ix_comments_status_spam_score", table_name="comments")
    op.drop_column("comments", "taught_features")
    op.drop_column("comments", "taught_as")
    op.drop_column("comments", "spam_score")
    op.drop_table("spam_filter_counts")
