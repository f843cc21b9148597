"""Editors' picks: when a comment was picked and by whom.

No batch mode, as in 0006: SQLite adds the columns in place, and a rebuilt `comments` table
would lose the status-count triggers (see 0003). For the same reason `picked_by_id` has no
foreign key (SQLite cannot add one in place); the audit log keeps who picked, by id, too.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("comments", sa.Column("picked_at", sa.DateTime(), nullable=True))
    op.add_column("comments", sa.Column("picked_by_id", sa.Integer(), nullable=True))
    op.create_index("ix_comments_article_picked", "comments", ["article_id", "picked_at"])
    op.create_index("ix_comments_picked", "comments", ["picked_at"])


def downgrade():
    op.drop_index("ix_comments_picked", table_name="comments")
    op.drop_index("ix_comments_article_picked", table_name="comments")
    op.drop_column("comments", "picked_by_id")
    op.drop_column("comments", "picked_at")
