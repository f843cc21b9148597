"""SQL statements per request: few, and the same however many comments there are.

Counted with SQLAlchemy's cursor events, so a lazy load per comment (an N+1) fails here
long before it shows in the benchmark. Timing belongs to `make bench`, never to a test.
"""

import pytest

from app.models import CommentStatus
from app.public_copies import public_copies_of
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import comment_form
from tests.helpers import counted_statements
from tests.helpers import hidden_fields
from tests.helpers import post_comment

# What a page needs today, with a little room; a count that grows with comments is the bug.
# A new reader's page: settings, the public pages' version, the article's version (the page
# itself is kept). A reader's own: the article's version, settings and the reader's own
# pending comments, put into the kept page (which, when not kept yet, costs the article, the
# thread order and the page's comments once).
ARTICLE_PAGE_MOST_STATEMENTS = 6
# The desk: the moderator, the page of comments, their articles, the status counts, the
# reported count, the open reports' reasons, history by email and by IP, the article menu,
# and on the pending queue how much the spam filter has learned (its row of totals).
QUEUE_PAGE_MOST_STATEMENTS = 11
# A comment POST with every defence on: BEGIN, the article, the settings, "sent or said
# before?", the four flood counts in one, the spam filter's counts for the comment's features
# and its totals in one; then BEGIN IMMEDIATE, the INSERT, the moderators to alert. Every
# statement after BEGIN IMMEDIATE makes the other workers' comments wait (so the filter reads
# before it).
COMMENT_POST_MOST_STATEMENTS = 9
# More than one page of the moderation queue (50 by default).
MANY_COMMENTS = 60


def statements_for_get(app, client, path: str) -> list[str]:
    """What making the page costs (a new reader's page is made once, then kept: see
    test_a_kept_public_copy_costs_at_most_one_statement)."""
    client.get(path)  # the first request may load what later ones reuse
    public_copies_of(app).clear()
    with counted_statements(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return list(statements)


def store_comments(app, slug: str, count: int, status: CommentStatus) -> None:
    for number in range(count):
        store_comment(app, slug, status=status, body=f"Comment number {number}.")


def test_article_page_statements_do_not_grow_with_its_comments(app, client, article):
    store_comments(app, article, 2, CommentStatus.APPROVED)
    with_few = statements_for_get(app, client, article_url(article))
    store_comments(app, article, MANY_COMMENTS, CommentStatus.APPROVED)
    with_many = statements_for_get(app, client, article_url(article))

    assert len(with_many) == len(with_few)
    assert len(with_many) <= ARTICLE_PAGE_MOST_STATEMENTS, "\n".join(with_many)


def test_a_kept_public_copy_costs_at_most_one_statement(make_app):
    app = make_app(PUBLIC_COPY_TRUST_SECONDS=3600)
    article = publish_test_article(app)
    store_comments(app, article, MANY_COMMENTS, CommentStatus.APPROVED)
    reader = app.test_client()
    reader.get(article_url(article))
    with counted_statements(app) as statements:
        assert reader.get(article_url(article)).status_code == 200
    assert statements == []
    public_copies_of(app).distrust()
    with counted_statements(app) as statements:
        assert reader.get(article_url(article)).status_code == 200
    # Settings and the public pages' version, whatever the page.
    assert len(statements) <= 3, "\n".join(statements)


def test_a_readers_own_page_costs_one_statement_while_the_settings_are_trusted(make_app):
    """The article's version with the reader's pending comments; the settings were read
    within PUBLIC_COPY_TRUST_SECONDS, as the public copies' version was."""
    app = make_app(PUBLIC_COPY_TRUST_SECONDS=3600)
    article = publish_test_article(app)
    reader = app.test_client()
    post_comment(reader, article, body="My own comment, awaiting a moderator.")
    reader.get(article_url(article))
    with counted_statements(app) as statements:
        page = reader.get(article_url(article)).get_data(as_text=True)
    assert "My own comment, awaiting a moderator." in page
    assert len(statements) == 1, "\n".join(statements)


def test_article_page_for_a_reader_with_pending_comments_stays_bounded(app, article):
    reader = app.test_client()
    for number in range(3):
        post_comment(reader, article, body=f"My own comment number {number}.")
    store_comments(app, article, MANY_COMMENTS, CommentStatus.APPROVED)

    statements = statements_for_get(app, reader, article_url(article))

    assert len(statements) <= ARTICLE_PAGE_MOST_STATEMENTS, "\n".join(statements)


@pytest.mark.parametrize("path", ["/moderation/", "/moderation/?page=2"])
def test_queue_page_statements_do_not_grow_with_the_queue(app, article, desk, path):
    store_comments(app, article, 2, CommentStatus.PENDING)
    with_few = statements_for_get(app, desk.client, "/moderation/")
    store_comments(app, article, MANY_COMMENTS, CommentStatus.PENDING)
    with_many = statements_for_get(app, desk.client, path)

    assert len(with_many) == len(with_few)
    assert len(with_many) <= QUEUE_PAGE_MOST_STATEMENTS, "\n".join(with_many)


def test_a_comment_post_runs_few_statements(app, article):
    post_comment(app.test_client(), article)  # the first may load what later ones reuse
    reader = app.test_client()
    page = reader.get(article_url(article)).get_data(as_text=True)
    form = {**hidden_fields(page, reader), **comment_form(body="Something else entirely.")}
    with counted_statements(app) as statements:
        response = reader.post(f"/articles/{article}/comments", data=form)
    assert response.status_code == 303
    assert len(statements) <= COMMENT_POST_MOST_STATEMENTS, "\n".join(statements)
