import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Comment
from app.models import CommentStatus
from app.models import ModerationEvent
from tests.conftest import ModeratorSession
from tests.conftest import add_test_moderator
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import post_comment


def comment_id_for(app, body: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Comment.id).where(Comment.body_raw == body))


@pytest.fixture
def pending_comment(app, article):
    reader = app.test_client()
    post_comment(
        reader,
        article,
        name="Pat Commenter",
        email="pat.commenter@example.net",
        website="https://pat.example.net",
        body="The depot has been empty for years.",
    )
    return comment_id_for(app, "The depot has been empty for years.")


def test_queue_needs_a_login(client):
    response = client.get("/moderation/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_actions_need_a_login(app, client, pending_comment, article):
    client.get(article_url(article))
    response = client.post(f"/moderation/comments/{pending_comment}/approve")
    assert response.status_code in (302, 400)
    with app.app_context():
        assert db.session.get(Comment, pending_comment).status is CommentStatus.PENDING


def test_queue_shows_what_a_moderator_needs_to_decide(desk, pending_comment):
    html = desk.client.get("/moderation/").get_data(as_text=True)
    for detail in (
        "Pat Commenter",
        "pat.commenter@example.net",
        "https://pat.example.net",
        "127.0.0.1",
        "The depot has been empty for years.",
        "Council Approves New Riverside Park",
        ">Approve<",
        ">Spam<",
        ">Trash<",
    ):
        assert detail in html


def test_queue_lists_oldest_first(app, desk, article):
    reader = app.test_client()
    for body in ("First in", "Second in", "Third in"):
        post_comment(reader, article, body=body)
    html = desk.client.get("/moderation/").get_data(as_text=True)
    assert html.index("First in") < html.index("Second in") < html.index("Third in")


def test_queue_pages_are_never_cached(desk):
    assert desk.client.get("/moderation/").headers["Cache-Control"] == "no-store"


def test_approved_comment_appears_to_every_reader(app, desk, pending_comment, article):
    response = desk.act(pending_comment, "approve")
    assert response.status_code == 303
    assert response.headers["Location"] == "/moderation/"
    assert "approved" in desk.client.get("/moderation/").get_data(as_text=True)

    html = app.test_client().get(article_url(article)).get_data(as_text=True)
    assert "The depot has been empty for years." in html
    assert "1 comment on “Council Approves New Riverside Park”" in html
    assert "awaiting moderation" not in html
    assert "1 comment" in app.test_client().get("/").get_data(as_text=True)


@pytest.mark.parametrize("action", ["spam", "trash"])
def test_spam_and_trash_never_appear(app, desk, pending_comment, article, action):
    desk.act(pending_comment, action)
    for client in (app.test_client(), desk.client):
        html = client.get(article_url(article)).get_data(as_text=True)
        assert "The depot has been empty for years." not in html
    assert "The depot has been empty" not in desk.client.get("/moderation/").get_data(as_text=True)


def test_author_stops_seeing_a_comment_once_it_is_marked_spam(app, desk, article):
    reader = app.test_client()
    post_comment(reader, article, body="Buy cheap watches")
    desk.act(comment_id_for(app, "Buy cheap watches"), "spam")
    assert "Buy cheap watches" not in reader.get(article_url(article)).get_data(as_text=True)


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("approve", CommentStatus.APPROVED),
        ("spam", CommentStatus.SPAM),
        ("trash", CommentStatus.TRASH),
    ],
)
def test_every_status_change_records_who_and_when(app, desk, pending_comment, action, status):
    desk.act(pending_comment, action)
    with app.app_context():
        comment = db.session.get(Comment, pending_comment)
        assert comment.status is status
        assert comment.status_changed_by.username == "sam"
        assert comment.status_changed_at is not None
        [event] = db.session.scalars(select(ModerationEvent)).all()
        assert (event.comment_id, event.moderator.username) == (pending_comment, "sam")
        assert (event.from_status, event.to_status) == (CommentStatus.PENDING, status)


def test_unknown_action_or_comment_is_a_404(desk, pending_comment):
    assert desk.act(pending_comment, "delete-everything").status_code == 404
    assert desk.act(999999, "approve").status_code == 404


def test_action_without_csrf_token_changes_nothing(app, desk, pending_comment):
    response = desk.client.post(f"/moderation/comments/{pending_comment}/approve")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Comment, pending_comment).status is CommentStatus.PENDING


def test_queue_is_paginated(make_app):
    app = make_app(MODERATION_PAGE_SIZE=2)
    slug = publish_test_article(app)
    add_test_moderator(app)
    for number in range(5):
        store_comment(app, slug, body=f"Queued comment {number}")
    desk = ModeratorSession(app.test_client())
    desk.log_in()

    first = desk.client.get("/moderation/").get_data(as_text=True)
    assert "Queued comment 0" in first
    assert "Queued comment 2" not in first
    assert "Page 1 of 3" in first
    assert "Queued comment 4" in desk.client.get("/moderation/?page=3").get_data(as_text=True)
