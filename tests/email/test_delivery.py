"""The outbox and its delivery: a real SMTP server, failures, retries, the file, the log."""

import logging
import mailbox
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy import update

from app.extensions import db
from app.mail.delivery import background_sender
from app.mail.transport import MAILBOX_FILENAME
from app.models import Comment
from app.models import CommentStatus
from app.models import MessageKind
from app.models import OutgoingMessage
from app.models import utcnow
from tests.conftest import publish_test_article
from tests.email.conftest import MODERATOR_EMAIL
from tests.email.conftest import alerted_moderator
from tests.email.conftest import free_port
from tests.email.conftest import mail_settings
from tests.email.conftest import send_mail
from tests.helpers import post_comment

READER_EMAIL = "ada.reader@example.org"


def outbox_rows(app) -> list[OutgoingMessage]:
    with app.app_context():
        return db.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)).all()


def comments_in(app) -> list[Comment]:
    with app.app_context():
        return db.session.scalars(select(Comment)).all()


def let_retries_fall_due(app) -> None:
    with app.app_context():
        db.session.execute(update(OutgoingMessage).values(next_attempt_at=utcnow()))
        db.session.commit()


def test_a_held_comment_reaches_the_moderator_through_smtp(mail_app, inbox, article):
    alerted_moderator(mail_app)
    response = post_comment(mail_app.test_client(), article, body="Where is the money going?")
    assert response.status_code == 303
    assert inbox.received == []  # nothing is sent inside the reader's request

    result = send_mail(mail_app)

    assert result.exit_code == 0, result.output
    assert "Sent 1 message" in result.output
    [received] = inbox.received
    assert received.recipients == [MODERATOR_EMAIL]
    assert received.mail_from == "newsroom@news.example"
    assert received.message["To"] == MODERATOR_EMAIL
    assert received.message["From"] == "The Morning Ledger <newsroom@news.example>"
    assert "Ada Reader" in received.message["Subject"]
    assert received.message["Auto-Submitted"] == "auto-generated"
    assert received.message["Message-ID"].endswith("@news.example>")
    assert "Where is the money going?" in received.body
    assert "Council Approves New Riverside Park" in received.body
    assert outbox_rows(mail_app)[0].sent_at is not None


def test_sending_again_sends_nothing_twice(mail_app, inbox, article):
    alerted_moderator(mail_app)
    post_comment(mail_app.test_client(), article)
    send_mail(mail_app)
    result = send_mail(mail_app)
    assert "Sent 0 messages" in result.output
    assert len(inbox.received) == 1


def test_a_failing_smtp_server_loses_no_comment_and_a_later_run_sends(mail_app, inbox, article):
    alerted_moderator(mail_app)
    inbox.refuse_data = "451 4.3.0 Try again later"

    response = post_comment(mail_app.test_client(), article, body="Kept whatever the server does.")
    first_run = send_mail(mail_app)

    assert response.status_code == 303
    assert [comment.body_raw for comment in comments_in(mail_app)] == [
        "Kept whatever the server does."
    ]
    assert first_run.exit_code != 0
    assert "1 waiting" in first_run.output
    [waiting] = outbox_rows(mail_app)
    assert (waiting.sent_at, waiting.attempts, waiting.last_error) == (None, 1, "SMTPDataError 451")
    assert waiting.next_attempt_at > utcnow()

    inbox.refuse_data = None
    assert "Sent 0 messages" in send_mail(mail_app).output  # not due yet: it backs off
    let_retries_fall_due(mail_app)
    second_run = send_mail(mail_app)

    assert second_run.exit_code == 0, second_run.output
    assert [received.recipients for received in inbox.received] == [[MODERATOR_EMAIL]]
    assert "Kept whatever the server does." in inbox.received[0].body


def test_an_unreachable_smtp_server_breaks_no_request(make_app, smtp_server):
    app = make_app(**mail_settings(free_port(), MAIL_SEND_IN_BACKGROUND=True))
    article = publish_test_article(app)
    alerted_moderator(app)

    response = post_comment(app.test_client(), article, body="Posted while mail is down.")
    background_sender(app).wait_until_idle()

    assert response.status_code == 303
    assert comments_in(app)[0].status is CommentStatus.PENDING
    [waiting] = outbox_rows(app)
    assert waiting.sent_at is None and waiting.attempts == 1
    assert waiting.last_error.startswith("ConnectionRefusedError")

    app.config["MAIL_PORT"] = smtp_server.port  # the server is back
    let_retries_fall_due(app)
    assert send_mail(app).exit_code == 0
    assert [received.recipients for received in smtp_server.handler.received] == [[MODERATOR_EMAIL]]


def test_after_the_commit_a_background_thread_sends_at_once(make_app, smtp_server):
    app = make_app(**mail_settings(smtp_server.port, MAIL_SEND_IN_BACKGROUND=True))
    article = publish_test_article(app)
    alerted_moderator(app)

    post_comment(app.test_client(), article)
    background_sender(app).wait_until_idle()

    assert [received.recipients for received in smtp_server.handler.received] == [[MODERATOR_EMAIL]]


def test_a_recipient_refused_for_good_is_not_tried_again(mail_app, inbox, article):
    alerted_moderator(mail_app)
    inbox.refuse_recipients = "550 5.1.1 No such user here"
    post_comment(mail_app.test_client(), article)

    result = send_mail(mail_app)

    assert result.exit_code == 0, result.output
    assert "1 refused for good" in result.output
    [refused] = outbox_rows(mail_app)
    assert refused.failed_at is not None
    assert refused.last_error == "SMTPRecipientsRefused 550"
    let_retries_fall_due(mail_app)
    inbox.refuse_recipients = None
    send_mail(mail_app)
    assert inbox.received == []


def test_without_a_mail_server_messages_go_to_a_file(make_app):
    app = make_app(SITE_URL="https://news.example", MAIL_SEND_IN_BACKGROUND=False)
    article = publish_test_article(app)
    alerted_moderator(app)
    post_comment(app.test_client(), article, body="Only written down.")

    result = send_mail(app)

    assert result.exit_code == 0, result.output
    box = mailbox.mbox(Path(app.instance_path) / MAILBOX_FILENAME)
    [message] = list(box)
    box.close()
    assert message["To"] == MODERATOR_EMAIL
    assert "Only written down." in message.get_payload(decode=True).decode()


def test_sent_mail_is_deleted_after_some_days(mail_app, inbox, article):
    alerted_moderator(mail_app)
    post_comment(mail_app.test_client(), article)
    send_mail(mail_app)
    with mail_app.app_context():
        db.session.execute(update(OutgoingMessage).values(sent_at=utcnow() - timedelta(days=8)))
        db.session.commit()

    result = send_mail(mail_app)

    assert "1 old messages deleted" in result.output
    assert outbox_rows(mail_app) == []


def test_the_log_never_holds_an_address(mail_app, inbox, article, caplog):
    caplog.set_level(logging.DEBUG)
    alerted_moderator(mail_app)
    reader = mail_app.test_client()
    post_comment(reader, article, email=READER_EMAIL, notify="y")
    inbox.refuse_recipients = "550 5.1.1 <sam.moderator@newsroom.example>: no such user"
    send_mail(mail_app)
    inbox.refuse_recipients = None
    inbox.refuse_data = "451 4.3.0 <ada.reader@example.org> try later"
    let_retries_fall_due(mail_app)
    send_mail(mail_app)

    site_records = [record for record in caplog.records if not record.name.startswith("mail.")]
    assert any("not sent" in record.getMessage() for record in site_records)
    logged = "\n".join(record.getMessage() for record in site_records)
    assert not re.search(r"[\w.+-]+@[\w-]+\.", logged), logged


def test_a_rolled_back_event_sends_nothing(mail_app, inbox):
    from app.mail.outbox import QUEUED_KEY
    from app.mail.outbox import queue_message

    with mail_app.test_request_context():
        queue_message(MessageKind.REPLY, "someone@example.org", "Never sent", "Rolled back.")
        db.session.rollback()
        assert QUEUED_KEY not in db.session.info
        db.session.commit()

    send_mail(mail_app)
    assert outbox_rows(mail_app) == []
    assert inbox.received == []
