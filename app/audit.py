"""The audit log: who changed which comment, when, from which status to which.

Append-only, and holding ids and statuses, never text or personal data, so it outlives
deleted and erased comments. The desk, trusted authors, personal-data requests and imports
all write it through `record`.
"""

from sqlalchemy import select

from app.extensions import db
from app.logs import log_moderation_action
from app.models import AuditAction
from app.models import CommentStatus
from app.models import ModerationEvent
from app.models import Moderator


def record(
    comment_id: int | None,
    moderator: Moderator | None,
    action: AuditAction,
    before: CommentStatus | None,
    after: CommentStatus | None,
    reason: str | None = None,
) -> None:
    """Append one row to the audit log (and a line to the site's log once committed).

    No comment id: an event about many comments at once (an import or export run).
    """
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
