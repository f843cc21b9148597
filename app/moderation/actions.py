"""Every change a moderator makes to a comment, each recorded in the audit log.

A change names the status the moderator saw. The UPDATE only happens if the comment still
has that status, in the same statement, so two moderators acting on one comment at once
cannot both win: the second is told who got there first (`StaleAction`), and nothing changes.
"""

from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import delete

from app.audit import last_event
from app.audit import record
from app.extensions import db
from app.models import AuditAction
from app.models import Comment
from app.models import CommentStatus
from app.models import Moderator
from app.models import ReportResolution
from app.notifications import comment_approved
from app.page_versions import retire_public_copies
from app.status_changes import Change
from app.status_changes import StaleAction
from app.status_changes import change_status
from app.status_changes import resolve_reports

PENDING = CommentStatus.PENDING
APPROVED = CommentStatus.APPROVED
SPAM = CommentStatus.SPAM
TRASH = CommentStatus.TRASH


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    done: str  # "2 approved"
    allowed_from: frozenset[CommentStatus]
    # None: back to the status the comment had before (Not spam, Restore).
    target: CommentStatus | None


ACTIONS = {
    action.name: action
    for action in (
        Action("approve", "Approve", "approved", frozenset({PENDING}), APPROVED),
        Action("unapprove", "Unapprove", "sent back to pending", frozenset({APPROVED}), PENDING),
        Action("spam", "Spam", "marked as spam", frozenset({PENDING, APPROVED, TRASH}), SPAM),
        Action("not_spam", "Not spam", "restored from spam", frozenset({SPAM}), None),
        Action("trash", "Trash", "moved to the trash", frozenset({PENDING, APPROVED, SPAM}), TRASH),
        Action("restore", "Restore", "restored from the trash", frozenset({TRASH}), None),
    )
}
DELETE = Action("delete", "Delete permanently", "deleted permanently", frozenset({TRASH}), None)


class NotAllowed(Exception):
    """The action does not apply to a comment in that status (approving spam, say)."""


@dataclass
class BulkOutcome:
    changed: list[Change] = field(default_factory=list)
    skipped: list[StaleAction] = field(default_factory=list)
    not_applicable: list[int] = field(default_factory=list)


def apply(action: Action, comment_id: int, seen: CommentStatus, moderator: Moderator) -> Change:
    """Carry out one action on one comment, if it still has the status `seen`."""
    if seen not in action.allowed_from:
        raise NotAllowed(f"“{action.label}” does not apply to a {seen.value} comment.")
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise StaleAction(comment_id, None, last_event(comment_id))
    target = action.target or comment.previous_status or PENDING
    # Leaving for spam or trash remembers where from; coming back clears it.
    remembered = seen if target in (SPAM, TRASH) else None
    change = _set_status(comment, seen, target, remembered, moderator, AuditAction(action.name))
    return change


def undo(change: Change, moderator: Moderator) -> Change:
    """Put a comment back where an earlier change found it (if nobody has moved it since)."""
    comment = db.session.get(Comment, change.comment_id)
    if comment is None:
        raise StaleAction(change.comment_id, None, last_event(change.comment_id))
    return _set_status(
        comment, change.after, change.before, change.previous_before, moderator, AuditAction.UNDO
    )


def apply_to_many(
    action: Action, seen_by_id: dict[int, CommentStatus], moderator: Moderator
) -> BulkOutcome:
    outcome = BulkOutcome()
    for comment_id, seen in seen_by_id.items():
        try:
            outcome.changed.append(apply(action, comment_id, seen, moderator))
        except StaleAction as stale:
            outcome.skipped.append(stale)
        except NotAllowed:
            outcome.not_applicable.append(comment_id)
    return outcome


def delete_permanently(comment_id: int, seen: CommentStatus, moderator: Moderator) -> None:
    """Only from the trash. The audit row keeps the id, not the text."""
    if seen is not TRASH:
        raise NotAllowed("Only comments in the trash can be deleted permanently.")
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status is not TRASH:
        raise StaleAction(comment_id, comment.status if comment else None, last_event(comment_id))
    record(comment_id, moderator, AuditAction.DELETE, TRASH, None)
    retire_public_copies(comment.article_id)
    db.session.execute(delete(Comment).where(Comment.id == comment_id, Comment.status == TRASH))
    db.session.flush()


def dismiss_reports(comment_id: int, moderator: Moderator) -> int:
    """The reports were wrong: close them and leave the comment as it is."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise StaleAction(comment_id, None, last_event(comment_id))
    closed = resolve_reports(comment_id, moderator, ReportResolution.DISMISSED)
    if closed:
        record(comment_id, moderator, AuditAction.DISMISS_REPORTS, comment.status, comment.status)
    return closed


def _set_status(
    comment: Comment,
    seen: CommentStatus,
    target: CommentStatus,
    remembered: CommentStatus | None,
    moderator: Moderator,
    action: AuditAction,
) -> Change:
    """A moderator's decision: the status changes, and the author hears of a publication."""
    change = change_status(comment, seen, target, moderator, action, remembered)
    if target is APPROVED:
        comment_approved(comment)
    return change
