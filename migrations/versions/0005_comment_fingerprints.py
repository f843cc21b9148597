"""Comment fingerprints: the duplicate check finds repeated words through an index.

Existing comments get their fingerprint (SHA-256 of body_raw) here, a thousand at a time.
No batch mode: SQLite adds a column in place, and a rebuilt `comments` table would lose the
status-count triggers (see 0003).

Revision ID: 0005
Revises: 0004
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

comments = sa.table(
    "comments",
    sa.column("id", sa.Integer),
    sa.column("body_raw", sa.Text),
    sa.column("body_fingerprint", sa.String),
)
BATCH = 1000


def upgrade():
    op.add_column("comments", sa.Column("body_fingerprint", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_comments_article_fingerprint", "comments", ["article_id", "body_fingerprint"]
    )
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(comments.c.id, comments.c.body_raw)
            .where(comments.c.id > last_id)
            .order_by(comments.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            comments.update()
            .where(comments.c.id == sa.bindparam("row_id"))
            .values(body_fingerprint=sa.bindparam("fingerprint")),
            [
                {"row_id": row.id, "fingerprint": hashlib.sha256(row.body_raw.encode()).hexdigest()}
                for row in rows
            ],
        )
        last_id = rows[-1].id


def downgrade():
    op.drop_index("ix_comments_article_fingerprint", table_name="comments")
    op.drop_column("comments", "body_fingerprint")
