"""A read compiled once and run on the driver's cursor gives what SQLAlchemy's Core gives.

These run on PostgreSQL too (TEST_DATABASE_URL in .ci/run), where the parameters go by
name rather than by place.
"""

import pytest
from sqlalchemy import bindparam
from sqlalchemy import column
from sqlalchemy import select
from sqlalchemy import table
from sqlalchemy.exc import DBAPIError

from app import public
from app.comments.own import REMEMBERED_LIMIT
from app.database import reading_connection
from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentStatus
from app.models import utcnow
from app.prepared_reads import PreparedRead
from tests.conftest import store_comment
from tests.helpers import counted_statements

# Times, an enum stored as text, a join that may find nothing, a literal compared with.
COMMENTS_OF_ARTICLE = (
    select(
        Comment.id,
        Comment.created_at,
        Comment.status,
        Comment.picked_at,
        Article.slug,
        Article.comment_mode,
        Article.published_at,
    )
    .select_from(Article)
    .outerjoin(Comment, Comment.article_id == Article.id)
    .where(
        Article.slug == bindparam("slug"),
        Article.published_at <= bindparam("now"),
        Comment.status != CommentStatus.TRASH,
    )
    .order_by(Comment.id)
)


def test_rows_equal_cores_rows_value_for_value(app, article):
    store_comment(app, article, status=CommentStatus.PENDING)
    store_comment(app, article, status=CommentStatus.APPROVED, picked_at=utcnow())
    store_comment(app, article, status=CommentStatus.TRASH)
    values = {"slug": article, "now": utcnow()}
    with app.app_context(), reading_connection() as connection:
        cores = connection.execute(COMMENTS_OF_ARTICLE, values).all()
        prepared = PreparedRead(COMMENTS_OF_ARTICLE).rows(connection, values)
    assert len(cores) == 2
    assert [tuple(row) for row in prepared] == [tuple(row) for row in cores]
    assert [row.status for row in prepared] == [CommentStatus.PENDING, CommentStatus.APPROVED]
    # Aware UTC times, as the UTCDateTime column hands them back through Core.
    assert all(row.created_at.utcoffset() is not None for row in prepared)
    assert prepared[0].picked_at is None


def test_the_read_is_one_statement_seen_by_sqlalchemys_cursor_events(app, article):
    read = PreparedRead(COMMENTS_OF_ARTICLE)
    with (
        app.app_context(),
        counted_statements(app) as statements,
        reading_connection() as connection,
    ):
        read.rows(connection, {"slug": article, "now": utcnow()})
    assert len(statements) == 1
    assert statements[0].lstrip().upper().startswith("SELECT")


def test_a_driver_error_arrives_as_sqlalchemys_own(app):
    """So the app's handlers see it: a locked SQLite database is an OperationalError (503)."""
    missing = PreparedRead(select(column("id")).select_from(table("no_such_table")))
    with (
        app.app_context(),
        reading_connection() as connection,
        pytest.raises(DBAPIError, match="no_such_table"),
    ):
        missing.rows(connection, {})


def test_inside_a_transaction_it_reads_what_the_transaction_wrote(app, article):
    with app.app_context():
        found = db.session.scalar(select(Article).where(Article.slug == article))
        comment = Comment(
            article=found,
            author_name="Not yet committed",
            author_email="uncommitted@example.org",
            body_raw="Flushed only.",
            body_html="<p>Flushed only.</p>",
            status=CommentStatus.PENDING,
        )
        db.session.add(comment)
        db.session.flush()
        _, pending = public.published_article_with_own_pending(article, [comment.id])
        db.session.rollback()
    assert [each.author_name for each in pending] == ["Not yet committed"]


def test_a_reader_with_more_ids_than_places_has_the_newest_read(app, article):
    ids = [store_comment(app, article) for _ in range(3)]
    older = list(range(10_000, 10_000 + public.OWN_ID_PLACES))
    with app.app_context():
        version, pending = public.published_article_with_own_pending(article, older + ids)
    assert version is not None
    assert [each.id for each in pending] == ids


def test_every_id_a_session_remembers_has_a_place():
    assert REMEMBERED_LIMIT <= public.OWN_ID_PLACES
