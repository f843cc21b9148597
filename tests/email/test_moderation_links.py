"""Action links in moderators' alerts: shown on GET, done once on POST, expired after 72 hours."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.mail import links
from app.models import AlertMode
from app.models import Comment
from app.models import CommentStatus
from app.models import ModerationEvent
from app.models import Moderator
from app.models import SpamLabel
from tests.conftest import ModeratorSession
from tests.conftest import store_comment
from tests.email.conftest import MODERATOR_EMAIL
from tests.email.conftest import alerted_moderator
from tests.email.conftest import path_of
from tests.email.conftest import send_mail
from tests.helpers import csrf_token_from
from tests.helpers import post_comment

LINK_HOURS = 72


def status_of(app, comment_id: int) -> CommentStatus | None:
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        return comment.status if comment else None


def audit_rows(app) -> list[tuple[int, str, int | None]]:
    with app.app_context():
        events = db.session.scalars(select(ModerationEvent).order_by(ModerationEvent.id))
        return [(event.comment_id, event.action.value, event.moderator_id) for event in events]


def only_comment_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Comment.id))


@pytest.fixture
def alert(app, inbox, article):
    """A reader's comment held, and the alert it sent to Sam."""
    alerted_moderator(app)
    post_comment(app.test_client(), article, body="Please check my sources.")
    send_mail(app)
    [received] = inbox.to(MODERATOR_EMAIL)
    return received


def action_link(alert, action: str) -> str:
    [link] = [
        path_of(url)
        for label, url in re.findall(r"^(\w+): (https://\S+)$", alert.body, re.MULTILINE)
        if label.lower() == action
    ]
    return link


def press(client, path: str):
    """What a moderator does: open the page, press its button (or send it again later)."""
    client.get(path)
    # The session's token, from any form that has one (a used link's page has none).
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token})


def test_the_alert_names_the_article_reader_text_and_reasons(app, inbox, article):
    alerted_moderator(app)
    app.config["HOLD_WORDS"] = ["casino"]
    post_comment(app.test_client(), article, name="Ada Reader", body="The casino money, though.")
    send_mail(app)

    [alert] = inbox.to(MODERATOR_EMAIL)

    assert "Council Approves New Riverside Park" in alert.body
    assert "https://news.example/articles/council-approves-riverside-park" in alert.body
    assert "From: Ada Reader" in alert.body
    assert "held word: casino" in alert.body
    assert "The casino money, though." in alert.body
    assert [action_link(alert, name)[:13] for name in ("approve", "spam", "trash")] == [
        "/mail/moderat"
    ] * 3
    assert "ada.reader@example.org" not in alert.body


def test_opening_a_link_only_shows_a_page(app, alert):
    comment_id = only_comment_id(app)
    scanner = app.test_client()

    page = scanner.get(action_link(alert, "approve"))
    head = scanner.head(action_link(alert, "approve"))

    assert page.status_code == head.status_code == 200
    html = page.get_data(as_text=True)
    assert "Approve this comment?" in html
    assert "Please check my sources." in html
    assert page.headers["Cache-Control"] == "no-store"
    assert status_of(app, comment_id) is CommentStatus.PENDING
    assert audit_rows(app) == []


def test_the_post_acts_once_as_that_moderator_without_a_login(app, alert):
    comment_id = only_comment_id(app)
    browser = app.test_client()

    response = press(browser, action_link(alert, "approve"))

    assert response.status_code == 200
    assert "Done: comment approved" in response.get_data(as_text=True)
    assert status_of(app, comment_id) is CommentStatus.APPROVED
    with app.app_context():
        sam = db.session.scalar(select(Moderator.id).where(Moderator.username == "sam"))
    assert audit_rows(app) == [(comment_id, "approve", sam)]

    again = press(browser, action_link(alert, "approve"))
    spam_later = press(app.test_client(), action_link(alert, "spam"))

    assert again.status_code == spam_later.status_code == 409
    assert "sam approved it" in again.get_data(as_text=True)
    assert status_of(app, comment_id) is CommentStatus.APPROVED
    assert len(audit_rows(app)) == 1


def test_a_second_use_says_who_acted_meanwhile(app, alert):
    comment_id = only_comment_id(app)
    desk = ModeratorSession(app.test_client())
    from tests.conftest import add_test_moderator

    add_test_moderator(app, "alex")
    desk.log_in("alex")
    desk.act(comment_id, "spam")

    page = app.test_client().get(action_link(alert, "approve"))

    assert "alex marked it as spam" in page.get_data(as_text=True)
    assert "<button" not in page.get_data(as_text=True).split("<main")[1].split("Open the")[0]
    assert status_of(app, comment_id) is CommentStatus.SPAM


def test_links_expire_after_72_hours(app, alert, monkeypatch):
    comment_id = only_comment_id(app)
    browser = app.test_client()
    page = browser.get(action_link(alert, "approve"))
    sent_at = links.clock()
    monkeypatch.setattr(links, "clock", lambda: sent_at + LINK_HOURS * 3600 + 1)

    late = browser.post(
        action_link(alert, "approve"),
        data={"csrf_token": csrf_token_from(page.get_data(as_text=True))},
    )

    assert late.status_code == 410
    assert "expired" in late.get_data(as_text=True)
    assert status_of(app, comment_id) is CommentStatus.PENDING


def test_a_link_still_works_just_before_it_expires(app, alert, monkeypatch):
    sent_at = links.clock()
    monkeypatch.setattr(links, "clock", lambda: sent_at + LINK_HOURS * 3600 - 60)
    assert press(app.test_client(), action_link(alert, "trash")).status_code == 200
    assert status_of(app, only_comment_id(app)) is CommentStatus.TRASH


def test_a_changed_link_is_refused(app, alert):
    path = action_link(alert, "approve")
    forged = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
    assert app.test_client().get(forged).status_code == 404


def test_a_disabled_moderators_links_do_nothing(app, alert):
    with app.app_context():
        db.session.scalar(select(Moderator)).active = False
        db.session.commit()
    response = press(app.test_client(), action_link(alert, "approve"))
    assert response.status_code == 403
    assert status_of(app, only_comment_id(app)) is CommentStatus.PENDING


def test_each_moderator_gets_their_own_links(app, inbox, article):
    alerted_moderator(app, "sam", "sam@newsroom.example")
    alerted_moderator(app, "alex", "alex@newsroom.example")
    post_comment(app.test_client(), article)
    send_mail(app)

    [for_alex] = inbox.to("alex@newsroom.example")
    press(app.test_client(), action_link(for_alex, "approve"))

    assert [received.recipients for received in inbox.received] == [
        ["sam@newsroom.example"],
        ["alex@newsroom.example"],
    ]
    with app.app_context():
        event = db.session.scalar(select(ModerationEvent))
        assert event.moderator.username == "alex"


def test_spam_gets_no_alert(app, inbox, article):
    alerted_moderator(app)
    app.config["SPAM_WORDS"] = ["viagra"]
    post_comment(app.test_client(), article, body="Cheap viagra here")
    send_mail(app)
    assert inbox.received == []


def test_a_digest_lists_held_comments_with_links(app, inbox, article):
    alerted_moderator(app, mode=AlertMode.DIGEST)
    app.config["MAIL_DIGEST_MINUTES"] = 0
    for number in range(2):
        post_comment(app.test_client(), article, body=f"Digest comment {number}.")
    store_comment(app, article, status=CommentStatus.APPROVED, body="Already approved.")

    result = send_mail(app)

    assert result.exit_code == 0, result.output
    [digest] = inbox.to(MODERATOR_EMAIL)
    assert digest.message["Subject"] == "2 comments held for review"
    assert "Digest comment 0." in digest.body and "Digest comment 1." in digest.body
    assert "Already approved." not in digest.body
    assert len(digest.links("/mail/moderate/")) == 6
    send_mail(app)
    assert len(inbox.received) == 1  # the next digest waits for new comments


def test_a_digest_waits_for_its_period(app, inbox, article):
    alerted_moderator(app, mode=AlertMode.DIGEST)
    post_comment(app.test_client(), article)
    send_mail(app)
    assert inbox.received == []


def test_without_site_url_send_mail_still_sends_the_rest(make_app, smtp_server):
    from tests.conftest import publish_test_article
    from tests.email.conftest import mail_settings

    app = make_app(**{**mail_settings(smtp_server.port), "SITE_URL": None, "MAIL_SERVER": None})
    article = publish_test_article(app)
    alerted_moderator(app, mode=AlertMode.DIGEST)
    alerted_moderator(app, "alex", "alex@newsroom.example")
    app.config["MAIL_DIGEST_MINUTES"] = 0
    post_comment(app.test_client(), article)

    result = send_mail(app)

    assert result.exit_code == 0, result.output
    assert "No digests: Set SITE_URL" in result.output
    assert "Sent 1 message" in result.output


def test_a_link_decision_teaches_the_spam_filter(app, alert):
    comment_id = only_comment_id(app)
    press(app.test_client(), action_link(alert, "spam"))
    with app.app_context():
        assert db.session.get(Comment, comment_id).taught_as is SpamLabel.SPAM
