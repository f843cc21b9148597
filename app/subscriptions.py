"""Readers' addresses: who asked for notices, who confirmed, who unsubscribed.

Double opt-in: the first request sends a confirmation link to the address, and until it is
followed nothing else is sent there. An unsubscribed address gets nothing more, not even
another confirmation request, whoever types it into the comment form.
"""

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select

from app.extensions import db
from app.mail.outbox import forget_messages_to
from app.models import Comment
from app.models import CommentSubscription
from app.models import ReaderAddress
from app.models import utcnow

# At most one confirmation request a day per address, so the form cannot be used to pester one.
CONFIRMATION_REQUEST_INTERVAL = timedelta(days=1)


def normalised(email: str) -> str:
    return email.strip().lower()


def address_for(email: str | None) -> ReaderAddress | None:
    if not email:
        return None
    return db.session.scalar(select(ReaderAddress).where(ReaderAddress.email == normalised(email)))


def address_with_id(address_id) -> ReaderAddress | None:
    return db.session.get(ReaderAddress, address_id) if isinstance(address_id, int) else None


def ensure_address(email: str) -> ReaderAddress:
    address = address_for(email)
    if address is None:
        address = ReaderAddress(email=normalised(email))
        db.session.add(address)
        db.session.flush()
    return address


def subscribe(comment: Comment) -> ReaderAddress:
    """The commenter ticked "notify me": remember it for this comment."""
    if db.session.get(CommentSubscription, comment.id) is None:
        db.session.add(CommentSubscription(comment_id=comment.id))
    address = ensure_address(comment.author_email)
    db.session.flush()
    return address


def is_subscribed(comment: Comment) -> bool:
    return db.session.get(CommentSubscription, comment.id) is not None


def may_receive_notices(address: ReaderAddress | None) -> bool:
    return bool(address and address.confirmed_at and not address.unsubscribed_at)


def should_request_confirmation(address: ReaderAddress) -> bool:
    if address.confirmed_at or address.unsubscribed_at:
        return False
    last = address.confirmation_sent_at
    return last is None or last < utcnow() - CONFIRMATION_REQUEST_INTERVAL


def confirm(address: ReaderAddress) -> None:
    if address.confirmed_at is None:
        address.confirmed_at = utcnow()
    address.unsubscribed_at = None
    db.session.flush()


def unsubscribe(address: ReaderAddress) -> None:
    if address.unsubscribed_at is None:
        address.unsubscribed_at = utcnow()
    db.session.flush()


def resubscribe(address: ReaderAddress) -> None:
    address.unsubscribed_at = None
    db.session.flush()


def forget_address(email: str) -> None:
    """Erasure: the address, its subscriptions and every message to it, sent or waiting."""
    written_by = func.lower(Comment.author_email) == normalised(email)
    db.session.execute(
        delete(CommentSubscription)
        .where(CommentSubscription.comment_id.in_(select(Comment.id).where(written_by)))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(ReaderAddress)
        .where(ReaderAddress.email == normalised(email))
        .execution_options(synchronize_session=False)
    )
    forget_messages_to(email)


def describe_address(email: str) -> dict:
    """What the export shows about notices to this address."""
    address = address_for(email)
    if address is None:
        return {"notices_requested": False}
    return {
        "notices_requested": True,
        "confirmed_at": address.confirmed_at.isoformat() if address.confirmed_at else None,
        "unsubscribed_at": address.unsubscribed_at.isoformat() if address.unsubscribed_at else None,
    }
