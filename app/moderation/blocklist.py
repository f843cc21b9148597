"""The block list: emails, domains and IP addresses whose new comments go straight to spam."""

import ipaddress

from sqlalchemy import select

from app.automoderation.policy_cache import forget_policy
from app.email_syntax import InvalidEmail
from app.email_syntax import normalized_email
from app.extensions import db
from app.models import BlockedSender
from app.models import BlockKind
from app.models import Comment
from app.models import CommentStatus
from app.models import Moderator
from app.moderation.actions import ACTIONS
from app.moderation.actions import apply_to_many
from app.status_changes import Change


class BlockError(ValueError):
    """The entry cannot be blocked as written; the message says why."""


def normalised_entry(kind: BlockKind, value: str) -> str:
    value = value.strip()
    if kind is BlockKind.EMAIL:
        try:
            return normalized_email(value).lower()
        except InvalidEmail as error:
            raise BlockError(f"{value!r} is not an email address: {error}") from error
    if kind is BlockKind.DOMAIN:
        domain = value.lstrip("@").lower()
        if not domain or "." not in domain or any(ch.isspace() or ch == "@" for ch in domain):
            raise BlockError(f"{value!r} is not a domain like example.com.")
        return domain
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError as error:
        raise BlockError(f"{value!r} is not an IP address or network.") from error


def block(kind: BlockKind, value: str, moderator: Moderator, note: str = "") -> BlockedSender:
    entry = normalised_entry(kind, value)
    existing = db.session.scalar(
        select(BlockedSender).where(BlockedSender.kind == kind, BlockedSender.value == entry)
    )
    if existing:
        return existing
    blocked = BlockedSender(
        kind=kind, value=entry, note=note.strip()[:200], created_by_id=moderator.id
    )
    db.session.add(blocked)
    db.session.flush()
    forget_policy()
    return blocked


def unblock(block_id: int) -> None:
    blocked = db.session.get(BlockedSender, block_id)
    if blocked is not None:
        db.session.delete(blocked)
        db.session.flush()
        forget_policy()


def blocked_entries() -> list[BlockedSender]:
    return db.session.scalars(
        select(BlockedSender).order_by(BlockedSender.kind, BlockedSender.value)
    ).all()


def spam_everything_from(comment: Comment, by: str, moderator: Moderator) -> list[Change]:
    """Every comment sharing this one's email (or IP) that is not spam yet goes to spam."""
    column, value = (
        (Comment.author_email, comment.author_email)
        if by == "email"
        else (Comment.ip_address, comment.ip_address)
    )
    if not value:
        return []
    rows = db.session.execute(
        select(Comment.id, Comment.status).where(
            column == value, Comment.status != CommentStatus.SPAM
        )
    ).all()
    outcome = apply_to_many(ACTIONS["spam"], dict(rows), moderator)
    return outcome.changed
