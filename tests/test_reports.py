"""Readers reporting approved comments: a flag for the moderators, not a takedown."""

import pytest
from sqlalchemy import func
from sqlalchemy import select

from app.extensions import db
from app.models import CommentReport
from app.models import CommentStatus
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import client_at


def report(client, comment_id: int, **data):
    client.get(f"/comments/{comment_id}/report")
    form = {"reason": "spam", **data}
    return client.post(f"/comments/{comment_id}/report", data=form)


def count_reports(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CommentReport))


@pytest.fixture
def approved(app, article):
    return store_comment(app, article, status=CommentStatus.APPROVED, body="Contested words")


def test_every_approved_comment_has_a_report_link(client, approved, article):
    html = client.get(article_url(article)).get_data(as_text=True)
    assert f'href="/comments/{approved}/report"' in html


def test_a_report_is_filed_and_the_comment_stays_up(app, client, approved, article):
    response = report(client, approved, reason="abuse", note="Personal attack on a neighbour")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{article_url(article)}#comment-{approved}")
    assert "Thank you. A moderator will look at this comment." in client.get(
        article_url(article)
    ).get_data(as_text=True)
    assert "Contested words" in app.test_client().get(article_url(article)).get_data(as_text=True)
    with app.app_context():
        filed = db.session.scalar(select(CommentReport))
        assert (filed.reason.value, filed.note) == ("abuse", "Personal attack on a neighbour")


def test_only_approved_comments_can_be_reported(app, client, article):
    for status in (CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.TRASH):
        comment_id = store_comment(app, article, status=status)
        assert client.get(f"/comments/{comment_id}/report").status_code == 404
    assert client.get("/comments/99999/report").status_code == 404


def test_a_report_needs_a_reason(app, client, approved):
    assert report(client, approved, reason="").status_code == 400
    assert count_reports(app) == 0


def test_a_report_sent_from_another_site_is_refused(app, client, approved):
    forged = client.post(
        f"/comments/{approved}/report",
        data={"reason": "spam"},
        headers={"Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert forged.status_code == 403
    assert count_reports(app) == 0


def test_one_open_report_per_comment_from_one_address(app, approved):
    reader = client_at(app, "192.0.2.5")
    assert report(reader, approved).status_code == 303
    again = report(reader, approved)
    assert again.status_code == 400
    assert "already reported this comment" in again.get_data(as_text=True)
    assert report(client_at(app, "192.0.2.6"), approved).status_code == 303
    assert count_reports(app) == 2


def test_reports_are_rate_limited_per_address(app, article):
    reader = client_at(app, "192.0.2.8")
    for number in range(10):
        comment_id = store_comment(app, article, status=CommentStatus.APPROVED, body=f"C{number}")
        assert report(reader, comment_id).status_code == 303
    one_more = store_comment(app, article, status=CommentStatus.APPROVED, body="C10")
    assert report(reader, one_more).status_code == 429
    assert count_reports(app) == 10


def test_a_report_note_with_control_characters_is_refused(app, client, approved):
    response = report(client, approved, note="bad\x00byte")
    assert response.status_code == 400
    assert count_reports(app) == 0
