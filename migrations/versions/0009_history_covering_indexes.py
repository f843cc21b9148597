"""The desk's commenter history is counted from indexes alone.

Status joins the email and IP indexes, so a card's "by this email / by this IP" counts read no
comment rows.

Flood control searches the same indexes by their first two columns, as before.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_comments_email_created_status", "comments", ["author_email", "created_at", "status"]
    )
    op.create_index(
        "ix_comments_ip_created_status", "comments", ["ip_address", "created_at", "status"]
    )
    op.drop_index("ix_comments_email_created", table_name="comments")
    op.drop_index("ix_comments_ip_created", table_name="comments")


def downgrade():
    op.create_index("ix_comments_ip_created", "comments", ["ip_address", "created_at"])
    op.create_index("ix_comments_email_created", "comments", ["author_email", "created_at"])
    op.drop_index("ix_comments_ip_created_status", table_name="comments")
    op.drop_index("ix_comments_email_created_status", table_name="comments")
