"""Reading the audit log: filters and bounded pages, newest first."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import AuditAction
from app.models import ModerationEvent

PAGE_SIZE = 100


@dataclass(frozen=True)
class AuditFilter:
    moderator_id: int | None = None
    action: str | None = None
    comment_id: int | None = None


@dataclass
class AuditPage:
    events: list[ModerationEvent]
    number: int
    has_next: bool


def audit_page(audit_filter: AuditFilter, number: int) -> AuditPage:
    query = select(ModerationEvent).options(selectinload(ModerationEvent.moderator))
    if audit_filter.moderator_id:
        query = query.where(ModerationEvent.moderator_id == audit_filter.moderator_id)
    if audit_filter.action:
        # A word that names no action finds nothing, as any other unknown filter would.
        known = {action.value: action for action in AuditAction}
        if audit_filter.action not in known:
            return AuditPage(events=[], number=number, has_next=False)
        query = query.where(ModerationEvent.action == known[audit_filter.action])
    if audit_filter.comment_id:
        query = query.where(ModerationEvent.comment_id == audit_filter.comment_id)
    rows = db.session.scalars(
        query.order_by(ModerationEvent.created_at.desc(), ModerationEvent.id.desc())
        .offset((number - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    return AuditPage(rows[:PAGE_SIZE], number, len(rows) > PAGE_SIZE)
