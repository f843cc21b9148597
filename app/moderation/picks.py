"""Editors' picks: the comments the newsroom holds up as the best of a discussion.

Only an approved comment can be picked. Like every desk action, a pick names the status the
moderator saw, and the UPDATE checks it in the same statement: a comment unapproved, sent to
spam or trashed meanwhile is not picked (`StaleAction`). Leaving approved unpicks a comment
(status_changes.change_status), so a pick is never hidden from readers while still counted as one.
"""

from sqlalchemy import update

from app.audit import last_event
from app.audit import record
from app.extensions import db
from app.models import AuditAction
from app.models import Comment
from app.models import CommentStatus
from app.models import Moderator
from app.models import utcnow
from app.moderation.actions import NotAllowed
from app.notifications import comment_picked
from app.page_versions import retire_public_copies
from app.status_changes import StaleAction

APPROVED = CommentStatus.APPROVED


def pick(comment_id: int, seen: CommentStatus, moderator: Moderator) -> bool:
    """Make an approved comment an Editors' pick; False if it already was one."""
    comment = _changed_pick(comment_id, seen, moderator, picked=True)
    if comment is None:
        return False
    comment_picked(comment)
    return True


def unpick(comment_id: int, seen: CommentStatus, moderator: Moderator) -> bool:
    """Take a comment out of the picks; False if it was not one (anymore)."""
    return _changed_pick(comment_id, seen, moderator, picked=False) is not None


def _changed_pick(
    comment_id: int, seen: CommentStatus, moderator: Moderator, picked: bool
) -> Comment | None:
    """The comment, now (un)picked and audited; None if it already was as asked."""
    comment = _still_approved(comment_id, seen)
    not_yet_as_asked = Comment.picked_at.is_(None) if picked else Comment.picked_at.is_not(None)
    result = db.session.execute(
        update(Comment)
        .where(Comment.id == comment_id, Comment.status == APPROVED, not_yet_as_asked)
        .values(
            picked_at=utcnow() if picked else None, picked_by_id=moderator.id if picked else None
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        _already_or_stale(comment)
        return None
    db.session.expire(comment)
    action = AuditAction.PICK if picked else AuditAction.UNPICK
    record(comment_id, moderator, action, APPROVED, APPROVED)
    retire_public_copies(comment.article_id)
    db.session.flush()
    return comment


def _still_approved(comment_id: int, seen: CommentStatus) -> Comment:
    if seen is not APPROVED:
        raise NotAllowed("Only approved comments can be Editors’ picks.")
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise StaleAction(comment_id, None, last_event(comment_id))
    return comment


def _already_or_stale(comment: Comment) -> None:
    """The guarded UPDATE changed nothing: the comment left approved (someone else's
    doing, said as for any desk action), or it already was what was asked."""
    db.session.refresh(comment)
    if comment.status is not APPROVED:
        raise StaleAction(comment.id, comment.status, last_event(comment.id))
