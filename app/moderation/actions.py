"""Status changes, each recording who made it and when, in one place."""

from app.extensions import db
from app.logs import log_moderation_action
from app.models import Comment
from app.models import CommentStatus
from app.models import ModerationEvent
from app.models import Moderator
from app.models import utcnow


def change_status(comment: Comment, new_status: CommentStatus, moderator: Moderator) -> None:
    """Set the status, its time and its moderator together, and append the audit record."""
    if comment.status is new_status:
        return
    log_moderation_action(comment.id, comment.status, new_status, moderator.id)
    db.session.add(
        ModerationEvent(
            comment_id=comment.id,
            moderator=moderator,
            from_status=comment.status,
            to_status=new_status,
        )
    )
    comment.status = new_status
    comment.status_changed_at = utcnow()
    comment.status_changed_by = moderator
    db.session.flush()


def approve(comment: Comment, moderator: Moderator) -> None:
    change_status(comment, CommentStatus.APPROVED, moderator)


def mark_spam(comment: Comment, moderator: Moderator) -> None:
    change_status(comment, CommentStatus.SPAM, moderator)


def trash(comment: Comment, moderator: Moderator) -> None:
    change_status(comment, CommentStatus.TRASH, moderator)


# What the queue's buttons may do, by the name in the URL, with the word for the flash.
ACTIONS = {
    "approve": (approve, "approved"),
    "spam": (mark_spam, "marked as spam"),
    "trash": (trash, "moved to the trash"),
}
