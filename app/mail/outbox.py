"""The outbox: messages written in the same transaction as the event that causes them.

A message is only ever sent after that transaction commits, so a rolled-back comment sends
nothing, and a failing SMTP server loses nothing: the row stays until it is sent.
"""

from datetime import timedelta
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update

from app.extensions import db
from app.mail.settings import mail_settings
from app.models import MessageKind
from app.models import OutgoingMessage
from app.models import utcnow

# The session's marker that this transaction queued mail (read after the commit).
QUEUED_KEY = "mail_queued"
# A sender owns a claimed message this long; after that another may try it.
CLAIM_LIFETIME = timedelta(minutes=5)
# Waits between tries: 1, 2, 4 ... minutes, at most an hour.
LONGEST_WAIT = timedelta(hours=1)


def queue_message(
    kind: MessageKind,
    recipient: str,
    subject: str,
    body: str,
    headers: dict[str, str] | None = None,
) -> OutgoingMessage:
    """Add one message for one recipient to the outbox, in the caller's transaction."""
    domain = mail_settings(current_app.config).sender_domain
    message = OutgoingMessage(
        kind=kind,
        recipient=recipient,
        # Header injection is impossible anyway (the email package refuses line breaks);
        # this keeps a title with odd spacing on one tidy line.
        subject=" ".join(subject.split())[:300],
        body=body,
        headers={"Message-ID": make_msgid(domain=domain), **(headers or {})},
    )
    db.session.add(message)
    db.session.flush()
    db.session.info[QUEUED_KEY] = True
    return message


def claimable():
    now = utcnow()
    return (
        OutgoingMessage.sent_at.is_(None),
        OutgoingMessage.failed_at.is_(None),
        OutgoingMessage.next_attempt_at <= now,
        or_(OutgoingMessage.claimed_until.is_(None), OutgoingMessage.claimed_until < now),
    )


def due_message_ids(limit: int) -> list[int]:
    query = select(OutgoingMessage.id).where(*claimable()).order_by(OutgoingMessage.id)
    return list(db.session.scalars(query.limit(limit)))


def claim(message_id: int) -> OutgoingMessage | None:
    """Take a message for sending, unless another sender (a worker, cron) has it already."""
    result = db.session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.id == message_id, *claimable())
        .values(claimed_until=utcnow() + CLAIM_LIFETIME)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    return db.session.get(OutgoingMessage, message_id, populate_existing=True)


def mark_sent(message: OutgoingMessage) -> None:
    message.sent_at = utcnow()
    message.attempts += 1
    message.claimed_until = None
    message.last_error = None


def mark_failed(message: OutgoingMessage, description: str, permanent: bool) -> None:
    now = utcnow()
    message.attempts += 1
    message.claimed_until = None
    message.last_error = description[:200]
    if permanent:
        message.failed_at = now
    else:
        wait = min(timedelta(minutes=2 ** min(message.attempts - 1, 10)), LONGEST_WAIT)
        message.next_attempt_at = now + wait


def waiting_count() -> int:
    return db.session.scalar(
        select(func.count()).where(
            OutgoingMessage.sent_at.is_(None), OutgoingMessage.failed_at.is_(None)
        )
    )


def prune_sent(days: int) -> int:
    """Sent messages hold addresses and comments: keep them only a few days."""
    result = db.session.execute(
        delete(OutgoingMessage)
        .where(OutgoingMessage.sent_at < utcnow() - timedelta(days=days))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def forget_messages_to(email: str) -> int:
    """For erasure requests: every message to this address, sent or waiting."""
    result = db.session.execute(
        delete(OutgoingMessage)
        .where(func.lower(OutgoingMessage.recipient) == email.strip().lower())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def recent_count(kind: MessageKind, recipient: str, within: timedelta) -> int:
    return db.session.scalar(
        select(func.count()).where(
            OutgoingMessage.recipient == recipient,
            OutgoingMessage.kind == kind,
            OutgoingMessage.created_at > utcnow() - within,
        )
    )
