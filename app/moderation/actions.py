"""Every change a moderator makes to a comment, each recorded in the audit log.

A change names the status the moderator saw. The UPDATE only happens if the comment still
has that status, in the same statement, so two moderators acting on one comment at once
cannot both win: the second is told who got there first (`StaleAction`), and nothing changes.
"""

from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import update

from app.extensions import db
from app.logs import log_moderation_action
from app.models import Article
from app.models import Comment
from app.models import CommentReport
from app.models import CommentStatus
from app.models import ModerationEvent
from app.models import Moderator
from app.models import utcnow
from app.notifications import comment_approved
from app.spam_filter import lessons

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


class StaleAction(Exception):
    """The comment is no longer in the status the moderator saw."""

    def __init__(
        self, comment_id: int, current: CommentStatus | None, last: ModerationEvent | None
    ):
        super().__init__(f"comment {comment_id} changed meanwhile")
        self.comment_id = comment_id
        self.current = current
        self.last_event = last


class NotAllowed(Exception):
    """The action does not apply to a comment in that status (approving spam, say)."""


@dataclass(frozen=True)
class Change:
    """What one action did, enough to undo it."""

    comment_id: int
    before: CommentStatus
    after: CommentStatus
    previous_before: CommentStatus | None


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
    change = _set_status(comment, seen, target, remembered, moderator, action.name)
    return change


def undo(change: Change, moderator: Moderator) -> Change:
    """Put a comment back where an earlier change found it (if nobody has moved it since)."""
    comment = db.session.get(Comment, change.comment_id)
    if comment is None:
        raise StaleAction(change.comment_id, None, last_event(change.comment_id))
    return _set_status(
        comment, change.after, change.before, change.previous_before, moderator, "undo"
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
    record(comment_id, moderator, "delete", TRASH, None)
    bump_comments_version(comment.article_id)
    db.session.execute(delete(Comment).where(Comment.id == comment_id, Comment.status == TRASH))
    db.session.flush()


def dismiss_reports(comment_id: int, moderator: Moderator) -> int:
    """The reports were wrong: close them and leave the comment as it is."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise StaleAction(comment_id, None, last_event(comment_id))
    closed = _resolve_reports(comment_id, moderator, "dismissed")
    if closed:
        record(comment_id, moderator, "dismiss_reports", comment.status, comment.status)
    return closed


def record(
    comment_id: int,
    moderator: Moderator | None,
    action: str,
    before: CommentStatus | None,
    after: CommentStatus | None,
    reason: str | None = None,
) -> None:
    """Append one row to the audit log (and a line to the site's log once committed)."""
    log_moderation_action(comment_id, before, after, moderator.id if moderator else None, action)
    db.session.add(
        ModerationEvent(
            comment_id=comment_id,
            moderator_id=moderator.id if moderator else None,
            action=action,
            from_status=before,
            to_status=after,
            reason=reason,
        )
    )


def last_event(comment_id: int) -> ModerationEvent | None:
    return db.session.scalar(
        select(ModerationEvent)
        .where(ModerationEvent.comment_id == comment_id)
        .order_by(ModerationEvent.created_at.desc(), ModerationEvent.id.desc())
        .limit(1)
    )


def bump_comments_version(article_id: int) -> None:
    """Whatever readers see of this article's comments may have changed: retire caches."""
    db.session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(comments_version=Article.comments_version + 1)
        .execution_options(synchronize_session=False)
    )


def _set_status(
    comment: Comment,
    seen: CommentStatus,
    target: CommentStatus,
    remembered: CommentStatus | None,
    moderator: Moderator,
    action_name: str,
) -> Change:
    previous_before = comment.previous_status
    was_picked = comment.picked_at is not None
    now = utcnow()
    # Every decision teaches the spam filter (and a reversed one takes its lesson back),
    # recorded on the comment in the same guarded statement as the status.
    lesson = lessons.lesson_for(comment, target)
    result = db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id, Comment.status == seen)
        .values(
            status=target,
            previous_status=remembered,
            status_changed_at=now,
            status_changed_by_id=moderator.id,
            **(lesson.comment_columns if lesson.changes_anything else {}),
            # Only approved comments are picks: leaving approved unpicks.
            **({} if target is APPROVED else {"picked_at": None, "picked_by_id": None}),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(comment)
        raise StaleAction(comment.id, comment.status, last_event(comment.id))
    lessons.carry_out(lesson)
    db.session.expire(comment)
    if was_picked and target is not APPROVED:
        # Before the status change's own row, which stays the last word on the comment.
        record(comment.id, moderator, "unpick", seen, target, reason=action_name)
    record(comment.id, moderator, action_name, seen, target)
    _resolve_reports(comment.id, moderator, "acted")
    bump_comments_version(comment.article_id)
    db.session.flush()
    if target is APPROVED:
        comment_approved(comment)
    return Change(comment.id, seen, target, previous_before)


def _resolve_reports(comment_id: int, moderator: Moderator, resolution: str) -> int:
    result = db.session.execute(
        update(CommentReport)
        .where(CommentReport.comment_id == comment_id, CommentReport.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=moderator.id, resolution=resolution)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
