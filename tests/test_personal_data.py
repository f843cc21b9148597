"""Export, anonymise, delete and age out commenters' personal data; re-clean stored HTML."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentStatus
from app.models import ModerationEvent
from app.models import utcnow
from tests.conftest import store_comment
from tests.helpers import article_url

ADA = "ada.lovelace@example.org"


@pytest.fixture
def adas_comments(app, article):
    store_comment(
        app,
        article,
        status=CommentStatus.APPROVED,
        email=ADA,
        name="Ada",
        website="https://ada.example",
        body="Approved words.",
        user_agent="Firefox",
    )
    store_comment(app, article, email=ADA.upper(), name="Ada", body="Pending words.")
    store_comment(app, article, email="someone.else@example.org", body="Not Ada's.")
    return ADA


def comments(app) -> list[Comment]:
    with app.app_context():
        return db.session.scalars(select(Comment).order_by(Comment.id)).all()


def test_personal_data_pages_are_for_admins_only(desk):
    assert desk.client.get("/admin/personal-data").status_code == 403
    response = desk.client.post(
        "/admin/personal-data/delete",
        data={"email": ADA, "confirm": "y", "csrf_token": desk.token()},
    )
    assert response.status_code == 403


def test_personal_data_pages_need_a_login(client):
    assert client.get("/admin/personal-data").status_code == 302


def test_admin_exports_every_comment_of_an_address(admin, adas_comments):
    response = admin.client.post(
        "/admin/personal-data/export", data={"email": ADA, "csrf_token": admin.token()}
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=commenter-export.json"
    assert ADA not in response.headers["Content-Disposition"]
    document = json.loads(response.get_data(as_text=True))
    assert [entry["text"] for entry in document["comments"]] == [
        "Approved words.",
        "Pending words.",
    ]
    assert document["comments"][0]["user_agent"] == "Firefox"
    assert document["comments"][0]["ip_address"] == "192.0.2.10"


def test_anonymising_keeps_the_words_and_drops_the_person(app, admin, adas_comments, article):
    response = admin.client.post(
        "/admin/personal-data/anonymise",
        data={"email": ADA, "confirm": "y", "csrf_token": admin.token()},
    )
    assert response.status_code == 303
    assert "2 comments anonymised" in admin.client.get("/admin/personal-data").get_data(
        as_text=True
    )
    adas, someone_else = comments(app)[:2], comments(app)[2]
    for comment in adas:
        assert (comment.author_name, comment.author_email, comment.author_website) == (
            "Anonymous",
            None,
            None,
        )
        assert (comment.ip_address, comment.user_agent) == (None, None)
    assert someone_else.author_email == "someone.else@example.org"
    html = app.test_client().get(article_url(article)).get_data(as_text=True)
    assert "Approved words." in html and "Anonymous" in html


def test_erasing_needs_the_confirmation_box(app, admin, adas_comments):
    response = admin.client.post(
        "/admin/personal-data/delete", data={"email": ADA, "csrf_token": admin.token()}
    )
    assert response.status_code == 400
    assert "Please tick the box to confirm." in response.get_data(as_text=True)
    assert len(comments(app)) == 3


def test_deleting_removes_the_comments_but_keeps_the_audit_record(app, admin, adas_comments):
    first_id = comments(app)[0].id
    admin.act(first_id, "trash")
    admin.client.post(
        "/admin/personal-data/delete",
        data={"email": ADA, "confirm": "y", "csrf_token": admin.token()},
    )
    assert [comment.author_email for comment in comments(app)] == ["someone.else@example.org"]
    with app.app_context():
        [event] = db.session.scalars(select(ModerationEvent)).all()
        assert event.comment_id == first_id


def test_cli_export_and_erase(app, runner, adas_comments):
    exported = runner.invoke(args=["export-commenter", ADA])
    assert exported.exit_code == 0
    assert len(json.loads(exported.output)["comments"]) == 2

    refused = runner.invoke(args=["erase-commenter", ADA], input="n\n")
    assert refused.exit_code == 1
    assert comments(app)[0].author_email == ADA

    erased = runner.invoke(args=["erase-commenter", ADA, "--yes"])
    assert "2 comments anonymised." in erased.output
    deleted = runner.invoke(
        args=["erase-commenter", "someone.else@example.org", "--delete", "--yes"]
    )
    assert "1 comments deleted." in deleted.output
    assert len(comments(app)) == 2


def test_old_ip_addresses_and_user_agents_are_erased(app, runner, article):
    old = store_comment(
        app, article, body="Old", user_agent="Old browser", created_at=utcnow() - timedelta(days=91)
    )
    recent = store_comment(
        app,
        article,
        body="Recent",
        user_agent="New browser",
        created_at=utcnow() - timedelta(days=89),
    )
    result = runner.invoke(args=["prune-ip-addresses"])
    assert result.exit_code == 0, result.output
    assert "Erased IP addresses from 1 comments older than 90 days" in result.output
    with app.app_context():
        assert db.session.get(Comment, old).ip_address is None
        assert db.session.get(Comment, old).user_agent is None
        assert db.session.get(Comment, recent).ip_address == "192.0.2.10"


def test_resanitize_recleans_stored_html_from_the_raw_text(app, runner, article):
    comment_id = store_comment(app, article, body="<b>bold</b> https://example.org")
    with app.app_context():
        db.session.get(Comment, comment_id).body_html = '<p onclick="x()">stale unsafe html</p>'
        db.session.commit()
    result = runner.invoke(args=["resanitize"])
    assert result.exit_code == 0, result.output
    assert "Re-cleaned 1 comments (1 changed)" in result.output
    with app.app_context():
        assert "onclick" not in db.session.get(Comment, comment_id).body_html
        assert "&lt;b&gt;bold&lt;/b&gt;" in db.session.get(Comment, comment_id).body_html


def test_no_gravatar_or_email_hash_is_sent_anywhere(app, article):
    import hashlib

    store_comment(app, article, status=CommentStatus.APPROVED, email=ADA)
    html = app.test_client().get(article_url(article)).get_data(as_text=True)
    assert "gravatar" not in html.lower()
    for digest in (hashlib.md5(ADA.encode()).hexdigest(), hashlib.sha256(ADA.encode()).hexdigest()):  # noqa: S324
        assert digest not in html


def test_anonymising_also_erases_earlier_versions_from_edits(app, admin, adas_comments):
    from app.models import CommentRevision

    first_id = comments(app)[0].id
    admin.client.post(
        f"/moderation/comments/{first_id}/edit",
        data={"csrf_token": admin.token(), "body": "Redacted by a moderator."},
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CommentRevision)) == 1
    admin.client.post(
        "/admin/personal-data/anonymise",
        data={"email": ADA, "confirm": "y", "csrf_token": admin.token()},
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CommentRevision)) == 0
        assert db.session.get(Comment, first_id).body_raw == "Redacted by a moderator."


def test_resanitize_renews_the_pages_readers_are_served(app, runner, article):
    """A sanitiser fix must reach readers at once, not when the next comment is approved."""
    comment_id = store_comment(
        app, article, status=CommentStatus.APPROVED, body="Shown as the sanitiser cleaned it."
    )
    with app.app_context():
        # As an older sanitiser left it: stored HTML the current one would not write.
        db.session.get(Comment, comment_id).body_html = "<p>stale html from an old sanitiser</p>"
        db.session.execute(update(Article).values(comments_version=Article.comments_version + 1))
        db.session.commit()
    reader = app.test_client()
    assert "stale html from an old sanitiser" in reader.get(article_url(article)).get_data(
        as_text=True
    )
    result = runner.invoke(args=["resanitize"])
    assert result.exit_code == 0, result.output
    page = app.test_client().get(article_url(article)).get_data(as_text=True)
    assert "stale html from an old sanitiser" not in page
    assert "Shown as the sanitiser cleaned it." in page
