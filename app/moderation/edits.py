"""Moderators fixing or redacting what a reader wrote, and the newsroom answering."""

from app.audit import record
from app.extensions import db
from app.models import AuditAction
from app.models import Comment
from app.models import CommentRevision
from app.models import CommentStatus
from app.models import Moderator
from app.models import utcnow
from app.notifications import comment_approved
from app.page_versions import retire_public_copies
from app.sanitize import clean_comment


def edit_comment(comment: Comment, new_text: str, moderator: Moderator) -> None:
    """Replace the text (cleaned again); the old text is kept for admins as a revision."""
    if new_text == comment.body_raw:
        return
    db.session.add(
        CommentRevision(
            comment_id=comment.id,
            body_raw=comment.body_raw,
            body_html=comment.body_html,
            edited_by_id=moderator.id,
        )
    )
    comment.body_raw = new_text
    comment.body_html = clean_comment(new_text)
    comment.edited_at = utcnow()
    record(comment.id, moderator, AuditAction.EDIT, comment.status, comment.status)
    retire_public_copies(comment.article_id)
    db.session.flush()


def reply_as_newsroom(parent: Comment, text: str, moderator: Moderator, site_name: str) -> Comment:
    """An approved reply under the newsroom's name, marked as staff on the page."""
    now = utcnow()
    reply = Comment(
        article_id=parent.article_id,
        parent_id=parent.id,
        author_name=site_name,
        author_email=None,
        body_raw=text,
        body_html=clean_comment(text),
        status=CommentStatus.APPROVED,
        staff_author_id=moderator.id,
        status_changed_at=now,
        status_changed_by_id=moderator.id,
    )
    db.session.add(reply)
    db.session.flush()
    record(reply.id, moderator, AuditAction.STAFF_REPLY, None, CommentStatus.APPROVED)
    retire_public_copies(parent.article_id)
    db.session.flush()
    comment_approved(reply)
    return reply
