"""The one way a comment's status changes: the desk's actions, email-link actions, trusted
authors' comments published at once, and imports all go through `change_status`.

A change names the status its maker saw. The UPDATE only happens if the comment still has
that status, in the same statement, so two moderators acting on one comment at once cannot
both win: the second is told who got there first (`StaleAction`), and nothing changes.
"""

from dataclasses import dataclass

from sqlalchemy import update

from app.audit import last_event
from app.audit import record
from app.extensions import db
from app.models import AuditAction
from app.models import Comment
from app.models import CommentReport
from app.models import CommentStatus
from app.models import ModerationEvent
from app.models import Moderator
from app.models import ReportResolution
from app.models import utcnow
from app.page_versions import retire_public_copies
from app.second_opinion import report_after_commit
from app.spam_filter import lessons


class StaleAction(Exception):
    """The comment is no longer in the status the moderator saw."""

    def __init__(
        self, comment_id: int, current: CommentStatus | None, last: ModerationEvent | None
    ):
        super().__init__(f"comment {comment_id} changed meanwhile")
        self.comment_id = comment_id
        self.current = current
        self.last_event = last


@dataclass(frozen=True)
class Change:
    """What one action did, enough to undo it."""

    comment_id: int
    before: CommentStatus
    after: CommentStatus
    previous_before: CommentStatus | None


def change_status(
    comment: Comment,
    seen: CommentStatus,
    target: CommentStatus,
    moderator: Moderator | None,
    action: AuditAction,
    remembered: CommentStatus | None = None,
) -> Change:
    """Set a comment's status if it still has the status `seen`, with everything that goes
    with it: who and when, the audit row, its open reports closed, the public pages renewed,
    and (for a moderator's decision) the spam filter's lesson and the report of Akismet's
    mistake, sent after the commit. Raises StaleAction otherwise.

    Notices to the author are the caller's: a desk approval sends one, a trusted author's
    comment is announced as it arrives, an import announces nothing.
    """
    previous_before = comment.previous_status
    was_picked = comment.picked_at is not None
    now = utcnow()
    # Every decision teaches the spam filter (and a reversed one takes its lesson back),
    # recorded on the comment in the same guarded statement as the status.
    lesson = lessons.lesson_for(comment, target) if moderator else None
    result = db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id, Comment.status == seen)
        .values(
            status=target,
            previous_status=remembered,
            status_changed_at=now,
            status_changed_by_id=moderator.id if moderator else None,
            **(lesson.comment_columns if lesson and lesson.changes_anything else {}),
            # Only approved comments are Editors' picks: leaving approved unpicks.
            **(
                {}
                if target is CommentStatus.APPROVED
                else {"picked_at": None, "picked_by_id": None}
            ),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(comment)
        raise StaleAction(comment.id, comment.status, last_event(comment.id))
    if lesson:
        lessons.carry_out(lesson)
    if moderator:
        # Before the expiry: with the comment as the moderator found it.
        report_after_commit(comment, target)
    db.session.expire(comment)
    if was_picked and target is not CommentStatus.APPROVED:
        # Before the status change's own row, which stays the last word on the comment.
        record(comment.id, moderator, AuditAction.UNPICK, seen, target, reason=action.value)
    record(comment.id, moderator, action, seen, target)
    resolve_reports(comment.id, moderator, ReportResolution.ACTED)
    retire_public_copies(comment.article_id)
    db.session.flush()
    return Change(comment.id, seen, target, previous_before)


def resolve_reports(
    comment_id: int, moderator: Moderator | None, resolution: ReportResolution
) -> int:
    result = db.session.execute(
        update(CommentReport)
        .where(CommentReport.comment_id == comment_id, CommentReport.resolved_at.is_(None))
        .values(
            resolved_at=utcnow(),
            resolved_by_id=moderator.id if moderator else None,
            resolution=resolution,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
