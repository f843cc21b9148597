"""Commenters hear from us only when they asked, after confirming, and can stop with one POST."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Comment
from app.models import CommentStatus
from app.models import ReaderAddress
from tests.conftest import store_comment
from tests.email.conftest import SENDER
from tests.email.conftest import addresses_in
from tests.email.conftest import path_of
from tests.email.conftest import send_mail
from tests.helpers import article_url
from tests.helpers import csrf_token_from
from tests.helpers import post_comment

ADA = "ada.reader@example.org"
BOB = "bob.replier@example.net"
LABEL = "Notify me by email when my comment is published or answered"


def comment_id_by(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Comment.id).where(Comment.author_email == email).order_by(Comment.id.desc())
        )


def confirm_by_link(app, received, client=None):
    """Open the confirmation link and press its button, as the reader would."""
    [link] = received.links("/mail/confirm/")
    browser = client or app.test_client()
    page = browser.get(path_of(link))
    token = csrf_token_from(page.get_data(as_text=True))
    return browser.post(path_of(link), data={"csrf_token": token})


@pytest.fixture
def subscribed_reader(app, inbox, article):
    """Ada commented, asked for notices and confirmed her address."""
    browser = app.test_client()
    post_comment(browser, article, email=ADA, body="Ada's first words.", notify="y")
    send_mail(app)
    [confirmation] = inbox.to(ADA)
    confirm_by_link(app, confirmation, browser)
    inbox.received.clear()
    return comment_id_by(app, ADA)


def test_the_form_offers_an_unticked_box(client, article):
    html = client.get(article_url(article)).get_data(as_text=True)
    assert LABEL in html
    assert 'type="checkbox"' in html and 'name="notify"' in html
    checkbox = (
        html.split('name="notify"')[0].rsplit("<input", 1)[1]
        + html.split('name="notify"')[1].split(">")[0]
    )
    assert "checked" not in checkbox


def test_without_the_box_a_reader_gets_no_email(app, inbox, article, desk):
    post_comment(app.test_client(), article, email=ADA)
    desk.act(comment_id_by(app, ADA), "approve")
    send_mail(app)
    assert inbox.to(ADA) == []


def test_the_first_request_sends_only_a_confirmation(app, inbox, article, desk):
    post_comment(app.test_client(), article, email=ADA, notify="y")
    desk.act(comment_id_by(app, ADA), "approve")
    send_mail(app)

    [confirmation] = inbox.to(ADA)
    assert confirmation.recipients == [ADA]
    assert "confirm" in confirmation.message["Subject"].lower()
    assert confirmation.links("/mail/confirm/")
    assert confirmation.message["List-Unsubscribe"].startswith(
        "<https://news.example/mail/unsubscribe/"
    )
    assert confirmation.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_opening_the_confirmation_link_does_not_confirm(app, inbox, article):
    post_comment(app.test_client(), article, email=ADA, notify="y")
    send_mail(app)
    [link] = inbox.to(ADA)[0].links("/mail/confirm/")

    app.test_client().get(path_of(link))
    app.test_client().head(path_of(link))

    with app.app_context():
        assert db.session.scalar(select(ReaderAddress.confirmed_at)) is None


def test_a_confirmed_reader_hears_once_when_published(app, inbox, desk, subscribed_reader):
    desk.act(subscribed_reader, "approve")
    desk.act(subscribed_reader, "unapprove")
    desk.act(subscribed_reader, "approve")
    send_mail(app)

    [published] = inbox.to(ADA)
    assert published.recipients == [ADA]
    assert (
        published.message["Subject"]
        == "Your comment on “Council Approves New Riverside Park” is published"
    )
    assert (
        f"https://news.example/articles/council-approves-riverside-park#comment-{subscribed_reader}"
        in published.body
    )
    assert published.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_notice_for_spam_or_trash(app, inbox, desk, subscribed_reader):
    desk.act(subscribed_reader, "spam")
    desk.act(subscribed_reader, "not_spam")
    desk.act(subscribed_reader, "trash")
    send_mail(app)
    assert inbox.to(ADA) == []


def test_a_reply_is_announced_only_once_approved(app, inbox, article, desk, subscribed_reader):
    desk.act(subscribed_reader, "approve")
    send_mail(app)
    inbox.received.clear()
    reply_id = store_comment(
        app,
        article,
        name="Bob Replier",
        email=BOB,
        body="I disagree, Ada.",
        parent_id=subscribed_reader,
    )

    send_mail(app)
    assert inbox.received == []  # pending replies send nothing

    desk.act(reply_id, "approve")
    send_mail(app)

    [reply] = inbox.received
    assert reply.recipients == [ADA]
    assert reply.message["Subject"].startswith("Bob Replier replied to your comment")
    assert "I disagree, Ada." in reply.body
    assert f"#comment-{reply_id}" in reply.body
    assert BOB not in reply.body and BOB not in str(reply.message)


def test_the_newsrooms_reply_is_announced(app, inbox, article, desk, subscribed_reader):
    response = desk.client.post(
        f"/moderation/comments/{subscribed_reader}/reply",
        data={"csrf_token": desk.token(), "seen": "pending", "body": "Thanks, we corrected it."},
    )
    assert response.status_code == 303
    send_mail(app)

    subjects = [received.message["Subject"] for received in inbox.to(ADA)]
    assert subjects[0].startswith("Your comment on")
    assert subjects[1].startswith("The Morning Ledger replied to your comment")


def test_no_reply_notice_when_the_parent_is_not_up(app, inbox, article, desk, subscribed_reader):
    desk.act(subscribed_reader, "approve")
    desk.act(subscribed_reader, "trash")
    send_mail(app)
    inbox.received.clear()
    reply_id = store_comment(app, article, email=BOB, parent_id=subscribed_reader)
    desk.act(reply_id, "approve")
    send_mail(app)
    assert inbox.received == []


def test_software_filling_the_form_triggers_no_confirmation(app, inbox, article):
    post_comment(app.test_client(), article, email=ADA, notify="y", homepage="http://spam.example")
    send_mail(app)
    assert inbox.received == []


def test_confirmation_requests_are_not_repeated_the_same_day(app, inbox, article):
    for number in range(3):
        post_comment(app.test_client(), article, email=ADA, notify="y", body=f"Comment {number}")
    send_mail(app)
    assert len(inbox.to(ADA)) == 1


def test_unsubscribe_works_with_a_single_post(app, inbox, desk, subscribed_reader):
    desk.act(subscribed_reader, "approve")
    send_mail(app)
    [published] = inbox.to(ADA)
    unsubscribe_url = published.message["List-Unsubscribe"].strip("<>")

    # What a mail program sends: no cookie, no CSRF token, just this body (RFC 8058).
    response = app.test_client().post(
        path_of(unsubscribe_url),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "unsubscribed" in response.get_data(as_text=True)
    inbox.received.clear()
    reply_id = store_comment(
        app, "council-approves-riverside-park", email=BOB, parent_id=subscribed_reader
    )
    desk.act(reply_id, "approve")
    send_mail(app)
    assert inbox.received == []


def test_the_unsubscribe_page_itself_changes_nothing(app, inbox, desk, subscribed_reader):
    desk.act(subscribed_reader, "approve")
    send_mail(app)
    unsubscribe_url = inbox.to(ADA)[0].message["List-Unsubscribe"].strip("<>")

    page = app.test_client().get(path_of(unsubscribe_url))

    assert page.status_code == 200
    assert "Stop our emails?" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ReaderAddress.unsubscribed_at)) is None


def test_an_unsubscribed_address_gets_no_more_confirmation_requests(app, inbox, article):
    post_comment(app.test_client(), article, email=ADA, notify="y")
    send_mail(app)
    unsubscribe_url = inbox.to(ADA)[0].message["List-Unsubscribe"].strip("<>")
    app.test_client().post(path_of(unsubscribe_url))
    with app.app_context():
        db.session.scalar(select(ReaderAddress)).confirmation_sent_at = None
        db.session.commit()

    post_comment(app.test_client(), article, email=ADA, notify="y", body="Again, please.")
    send_mail(app)

    assert len(inbox.to(ADA)) == 1


def test_no_message_shows_another_commenters_address(app, inbox, article, desk, subscribed_reader):
    from tests.email.conftest import alerted_moderator

    alerted_moderator(app, "alex", "alex@newsroom.example")
    desk.act(subscribed_reader, "approve")
    bob = app.test_client()
    post_comment(bob, article, name="Bob Replier", email=BOB, notify="y", body="Bob here.")
    reply_id = comment_id_by(app, BOB)
    with app.app_context():
        db.session.get(Comment, reply_id).parent_id = subscribed_reader
        db.session.commit()
    desk.act(reply_id, "approve")
    send_mail(app)

    assert len(inbox.received) >= 4  # Ada: published, reply; Bob: confirmation; alex: alert
    for received in inbox.received:
        [recipient] = received.recipients
        assert addresses_in(received) <= {recipient, "newsroom@news.example"}, received.body
        assert received.message["From"] == SENDER
    with app.app_context():
        assert db.session.get(Comment, reply_id).status is CommentStatus.APPROVED
