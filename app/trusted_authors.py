"""Trusted authors: comments published without waiting, when an admin turns it on.

Trust needs all of: an address confirmed through a signed, expiring link; a comment from it
that a moderator approved; and the browser that followed the link, which keeps a signed
cookie naming the confirmed address. A stranger who types a regular's name and email from
another browser has no such cookie and waits in the queue like anyone. Rules that hold a
comment still hold it (its reasons are not empty), and so does an article that holds every
comment ("article_held" is one of those reasons).
"""

from datetime import timedelta

from flask import Response
from flask import current_app
from flask import has_request_context
from flask import request
from itsdangerous import BadSignature
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from app import subscriptions
from app.extensions import db
from app.models import AuditAction
from app.models import Comment
from app.models import CommentStatus
from app.site_settings import current_settings
from app.status_changes import change_status

COOKIE_NAME = "verified_reader"
COOKIE_LIFETIME = timedelta(days=365)
# A shared computer may hold a few people's proofs; no more.
REMEMBERED_ADDRESSES = 5
AUDIT_ACTION = AuditAction.TRUSTED_APPROVE


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="verified-reader")


def proven_address_ids() -> list[int]:
    """Addresses this browser confirmed (ids only: the cookie never holds an address)."""
    if not has_request_context():
        return []
    value = request.cookies.get(COOKIE_NAME)
    if not value:
        return []
    try:
        ids = _serializer().loads(value, max_age=int(COOKIE_LIFETIME.total_seconds()))
    except BadSignature:
        return []
    return [item for item in ids if isinstance(item, int)] if isinstance(ids, list) else []


def remember_proof(response: Response, address_id: int) -> None:
    ids = [item for item in proven_address_ids() if item != address_id] + [address_id]
    response.set_cookie(
        COOKIE_NAME,
        _serializer().dumps(ids[-REMEMBERED_ADDRESSES:]),
        max_age=int(COOKIE_LIFETIME.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure or bool(current_app.config["SESSION_COOKIE_SECURE"]),
    )


def is_trusted(comment: Comment) -> bool:
    # The admin settings page's choice, else the configured default.
    if not current_settings()["TRUSTED_AUTHORS_AUTO_APPROVE"]:
        return False
    if comment.status is not CommentStatus.PENDING or comment.moderation_reasons:
        return False
    proven = proven_address_ids()
    if not proven:
        return False
    address = subscriptions.address_for(comment.author_email)
    if address is None or address.id not in proven or address.confirmed_at is None:
        return False
    approved_by_a_moderator = select(Comment.id).where(
        Comment.author_email == comment.author_email,
        Comment.id != comment.id,
        Comment.status == CommentStatus.APPROVED,
        Comment.status_changed_by_id.is_not(None),
    )
    return db.session.scalar(approved_by_a_moderator.limit(1)) is not None


def publish_at_once(comment: Comment) -> None:
    """A trusted author's new comment, published without waiting; audited as such."""
    change_status(comment, CommentStatus.PENDING, CommentStatus.APPROVED, None, AUDIT_ACTION)
