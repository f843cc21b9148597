"""Admins' pages: moderators, settings, the block list, article modes, the audit log."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentMode
from app.models import CommentStatus
from app.models import Moderator
from app.models import utcnow
from tests.conftest import ARTICLE_SOURCE
from tests.conftest import ModeratorSession
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import client_at
from tests.helpers import comment_form
from tests.helpers import hidden_fields
from tests.helpers import post_comment

ADMIN_PAGES = [
    "/admin/",
    "/admin/moderators",
    "/admin/settings",
    "/admin/articles",
    "/admin/audit",
    "/admin/personal-data",
    "/admin/import-export",
]


def post(session, url, **data):
    return session.client.post(url, data={"csrf_token": session.token(), **data})


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_moderators_cannot_reach_admin_pages(desk, url):
    assert desk.client.get(url).status_code == 403


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admins_can(admin, url):
    assert admin.client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/admin/moderators", "/admin/settings", "/admin/block-list", "/admin/articles/1/comments"],
)
def test_moderators_cannot_post_to_admin_pages(desk, url):
    assert post(desk, url, username="x", password="y" * 20).status_code == 403


def test_admin_adds_a_moderator_who_can_log_in(app, admin):
    response = post(admin, "/admin/moderators", username="newbie", password="a fine long password")
    assert response.status_code == 303
    assert (
        ModeratorSession(app.test_client()).log_in("newbie", "a fine long password").status_code
        == 303
    )


def test_adding_an_existing_name_or_short_password_is_explained(admin):
    taken = post(admin, "/admin/moderators", username="sam", password="a fine long password")
    assert taken.status_code == 400
    assert "already exists" in taken.get_data(as_text=True)
    short = post(admin, "/admin/moderators", username="newbie", password="short")
    assert "at least 12 characters" in short.get_data(as_text=True)


def test_disabling_a_moderator_ends_their_session(app, admin, runner):
    runner.invoke(
        args=["create-moderator", "alex"], env={"MODERATOR_PASSWORD": "alex password long"}
    )
    alex = ModeratorSession(app.test_client())
    alex.log_in("alex", "alex password long")
    with app.app_context():
        alex_id = db.session.scalar(select(Moderator.id).where(Moderator.username == "alex"))
    post(admin, f"/admin/moderators/{alex_id}/disable")
    assert alex.client.get("/moderation/").status_code == 302
    assert (
        ModeratorSession(app.test_client()).log_in("alex", "alex password long").status_code == 400
    )
    post(admin, f"/admin/moderators/{alex_id}/enable")
    assert (
        ModeratorSession(app.test_client()).log_in("alex", "alex password long").status_code == 303
    )


def test_admin_resets_a_password(app, admin, runner):
    runner.invoke(
        args=["create-moderator", "alex"], env={"MODERATOR_PASSWORD": "alex password long"}
    )
    with app.app_context():
        alex_id = db.session.scalar(select(Moderator.id).where(Moderator.username == "alex"))
    post(admin, f"/admin/moderators/{alex_id}/password", password="a brand new password")
    assert (
        ModeratorSession(app.test_client()).log_in("alex", "a brand new password").status_code
        == 303
    )


def test_admins_cannot_lock_themselves_out(app, admin):
    with app.app_context():
        my_id = db.session.scalar(select(Moderator.id))
    post(admin, f"/admin/moderators/{my_id}/disable")
    assert admin.client.get("/admin/").status_code == 200


def test_settings_page_changes_auto_moderation(app, admin, article):
    response = post(
        admin,
        "/admin/settings",
        comments_enabled="y",
        comments_close_after_days="0",
        hold_link_count="5",
        hold_words="giveaway\n\nlottery ",
        spam_words="viagra",
    )
    assert response.status_code == 303
    reader = app.test_client()
    post_comment(reader, article, body="A lottery win")
    post_comment(reader, article, body="Buy viagra")
    post_comment(reader, article, body="Two links https://a.example https://b.example")
    with app.app_context():
        rows = db.session.execute(
            select(Comment.body_raw, Comment.status, Comment.moderation_reasons).order_by(
                Comment.id
            )
        ).all()
    assert rows[0].moderation_reasons == ["held_word:lottery"]
    assert rows[1].status is CommentStatus.SPAM
    assert rows[2].moderation_reasons == []  # five links now, not two


def send_from_an_open_page(client, slug: str, hidden: dict):
    """Send a form the reader opened before comments closed."""
    return client.post(f"/articles/{slug}/comments", data={**comment_form(), **hidden})


def test_the_site_switch_closes_every_article(app, admin, article):
    reader = app.test_client()
    hidden = hidden_fields(reader.get(article_url(article)).get_data(as_text=True), reader)
    post(admin, "/admin/settings", hold_link_count="2", comments_close_after_days="0")
    html = reader.get(article_url(article)).get_data(as_text=True)
    assert "Comments are switched off across the site for the moment." in html
    assert send_from_an_open_page(reader, article, hidden).status_code == 403


def test_comments_close_automatically_after_n_days(make_app):
    app = make_app(COMMENTS_CLOSE_AFTER_DAYS=30)
    slug = publish_test_article(app)  # published in March 2026, long before "now"
    reader = app.test_client()
    html = reader.get(article_url(slug)).get_data(as_text=True)
    assert "Comments close 30 days after publication" in html
    fresh = publish_test_article(
        app,
        ARTICLE_SOURCE.replace("council-approves-riverside-park", "fresh").replace(
            "2026-03-02T09:00:00Z", utcnow().isoformat()
        ),
    )
    hidden = hidden_fields(reader.get(article_url(fresh)).get_data(as_text=True), reader)
    assert send_from_an_open_page(reader, slug, hidden).status_code == 403
    with app.app_context():
        db.session.scalar(select(Article)).published_at = utcnow() - timedelta(days=2)
        db.session.commit()
    assert post_comment(app.test_client(), slug).status_code == 303


@pytest.mark.parametrize(
    ("mode", "status", "expected"),
    [("closed", 403, None), ("held", 303, ["article_held"]), ("open", 303, [])],
)
def test_article_comment_modes(app, admin, article, mode, status, expected):
    with app.app_context():
        article_id = db.session.scalar(select(Article.id))
    reader = app.test_client()
    hidden = hidden_fields(reader.get(article_url(article)).get_data(as_text=True), reader)
    post(admin, f"/admin/articles/{article_id}/comments", mode=mode)
    with app.app_context():
        assert db.session.get(Article, article_id).comment_mode is CommentMode(mode)
    assert send_from_an_open_page(reader, article, hidden).status_code == status
    with app.app_context():
        reasons = db.session.scalars(select(Comment.moderation_reasons)).all()
    assert reasons == ([expected] if expected is not None else [])


@pytest.mark.parametrize(
    ("kind", "value", "ip", "email"),
    [
        ("email", "Blocked@Example.net", "192.0.2.1", "blocked@example.net"),
        ("domain", "@spam.example", "192.0.2.1", "anyone@spam.example"),
        ("ip", "203.0.113.0/24", "203.0.113.9", "fine@example.org"),
    ],
)
def test_block_list_sends_new_comments_straight_to_spam(
    app, admin, article, kind, value, ip, email
):
    assert post(admin, "/admin/block-list", kind=kind, value=value).status_code == 303
    post_comment(client_at(app, ip), article, email=email)
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        assert comment.status is CommentStatus.SPAM
        assert comment.moderation_reasons in (["blocked_email"], ["blocked_ip"])


def test_block_list_entries_are_checked_and_removable(app, admin, article):
    bad = post(admin, "/admin/block-list", kind="ip", value="not an address")
    assert bad.status_code == 400
    assert "is not an IP address or network" in bad.get_data(as_text=True)
    post(admin, "/admin/block-list", kind="ip", value="127.0.0.1")
    with app.app_context():
        from app.models import BlockedSender

        block_id = db.session.scalar(select(BlockedSender.id))
    post(admin, f"/admin/block-list/{block_id}/remove")
    post_comment(app.test_client(), article)
    with app.app_context():
        assert db.session.scalar(select(Comment.status)) is CommentStatus.PENDING


def test_blocking_from_a_card(app, admin, article):
    comment_id = store_comment(app, article, email="nuisance@example.org")
    post(admin, f"/admin/block-list/from-comment/{comment_id}/email", next="/moderation/")
    post_comment(client_at(app, "192.0.2.77"), article, email="nuisance@example.org", body="Again")
    with app.app_context():
        newest = db.session.scalar(select(Comment).order_by(Comment.id.desc()))
        assert newest.status is CommentStatus.SPAM


def test_audit_log_lists_and_filters_and_cannot_be_changed(app, admin, article):
    first = store_comment(app, article, body="One")
    second = store_comment(app, article, body="Two")
    admin.act(first, "approve")
    admin.act(second, "spam")
    html = admin.client.get("/admin/audit").get_data(as_text=True)
    assert html.index(f"#{second}") < html.index(f"#{first}")
    filtered = admin.client.get(f"/admin/audit?comment={first}").get_data(as_text=True)
    assert f"#{first}" in filtered and f"#{second}" not in filtered
    assert "One" not in html  # ids and statuses only, never the text
    for method in ("post", "put", "delete"):
        assert getattr(admin.client, method)("/admin/audit").status_code == 405
