"""Comment import and export: where each imported comment came from, and a record of runs.

`comments` gains three nullable columns by ALTER TABLE ADD COLUMN and a unique index; no
batch mode, so the table keeps its status-count triggers (see 0003). `moderation_events`
is rebuilt (SQLite cannot drop NOT NULL in place) so that an import, which touches many
comments at once, is one audit entry with no comment id. Nothing refers to that table, so
the rebuild loses nothing.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("comments", sa.Column("source", sa.String(length=120), nullable=True))
    op.add_column("comments", sa.Column("source_id", sa.String(length=120), nullable=True))
    op.add_column("comments", sa.Column("source_parent_id", sa.String(length=120), nullable=True))
    op.create_index("ix_comments_source_id", "comments", ["source", "source_id"], unique=True)
    with op.batch_alter_table("moderation_events") as batch_op:
        batch_op.alter_column("comment_id", existing_type=sa.Integer(), nullable=True)
    op.create_table(
        "import_export_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_format", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_export_runs")),
    )
    op.create_index(op.f("ix_import_export_runs_started_at"), "import_export_runs", ["started_at"])


def downgrade():
    op.drop_index(op.f("ix_import_export_runs_started_at"), table_name="import_export_runs")
    op.drop_table("import_export_runs")
    op.execute("DELETE FROM moderation_events WHERE comment_id IS NULL")
    with op.batch_alter_table("moderation_events") as batch_op:
        batch_op.alter_column("comment_id", existing_type=sa.Integer(), nullable=False)
    op.drop_index("ix_comments_source_id", table_name="comments")
    # ALTER TABLE DROP COLUMN (SQLite 3.35+), not a rebuild: the triggers stay (see 0004).
    op.drop_column("comments", "source_parent_id")
    op.drop_column("comments", "source_id")
    op.drop_column("comments", "source")
