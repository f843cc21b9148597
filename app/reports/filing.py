"""Filing a report: a flag for the Reported queue, never a change to what readers see."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import func
from sqlalchemy import select

from app.extensions import db
from app.models import Comment
from app.models import CommentReport
from app.models import ReportReason
from app.models import utcnow

ALREADY_REPORTED = "You’ve already reported this comment; a moderator will look at it."
TOO_MANY = "You’ve sent a lot of reports in a short time. Please wait a while and try again."


def refusal_for(comment: Comment, ip_address: str | None) -> tuple[str, int] | None:
    """(message, status) when this report should not be filed, else None."""
    if not ip_address or not current_app.config["RATELIMIT_ENABLED"]:
        return None
    open_from_here = db.session.scalar(
        select(func.count()).where(
            CommentReport.comment_id == comment.id,
            CommentReport.ip_address == ip_address,
            CommentReport.resolved_at.is_(None),
        )
    )
    if open_from_here:
        return ALREADY_REPORTED, 400
    last_hour = db.session.scalar(
        select(func.count()).where(
            CommentReport.ip_address == ip_address,
            CommentReport.created_at > utcnow() - timedelta(hours=1),
        )
    )
    if last_hour >= current_app.config["REPORTS_PER_HOUR"]:
        return TOO_MANY, 429
    return None


def file_report(comment: Comment, reason: ReportReason, note: str, ip_address: str | None):
    report = CommentReport(comment=comment, reason=reason, note=note.strip(), ip_address=ip_address)
    db.session.add(report)
    db.session.flush()
    return report
