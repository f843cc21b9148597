"""Mail to moderators about held comments: one email each, or a digest, as each one chose.

An alert gives the article, the name, the text and the reasons it was held, with signed
links to act on it; never the commenter's email or IP address (those stay on the desk).
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.automoderation.reasons import describe
from app.email_syntax import InvalidEmail
from app.email_syntax import normalized_email
from app.extensions import db
from app.mail.bodies import render_body
from app.mail.links import site_link
from app.mail.outbox import queue_message
from app.models import AlertMode
from app.models import Comment
from app.models import CommentStatus
from app.models import MessageKind
from app.models import Moderator
from app.models import utcnow
from app.notifications.action_links import EMAIL_ACTIONS
from app.notifications.action_links import moderation_link_url
from app.notifications.unsubscribe import moderator_unsubscribe_url
from app.notifications.unsubscribe import unsubscribe_headers

# A digest lists this many comments at most, and says how many more wait on the desk.
DIGEST_LIMIT = 50


class AlertSettingsError(ValueError):
    pass


def change_alert_settings(moderator: Moderator, email: str | None, mode: AlertMode) -> None:
    """Set where and how a moderator hears about held comments; no address means no mail."""
    address = None
    if email and email.strip():
        try:
            address = normalized_email(email.strip())
        except InvalidEmail as error:
            raise AlertSettingsError(f"That email address doesn’t look right: {error}") from error
    if mode is AlertMode.DIGEST and moderator.alert_mode is not AlertMode.DIGEST:
        moderator.digest_sent_at = utcnow()  # the first digest covers from now on
    moderator.email = address
    moderator.alert_mode = mode
    db.session.flush()


def _alerted(mode: AlertMode):
    return select(Moderator).where(
        Moderator.active, Moderator.email.is_not(None), Moderator.alert_mode == mode
    )


# Built once: asked inside every new comment's write transaction, while other workers wait.
_ALERTED_FOR_EACH_COMMENT = _alerted(AlertMode.EACH)


def alert_moderators(comment: Comment) -> None:
    """A comment was held: an email to each moderator who wants one per comment."""
    if comment.status is not CommentStatus.PENDING:
        return
    for moderator in db.session.scalars(_ALERTED_FOR_EACH_COMMENT):
        held = held_comment(comment, moderator)
        _queue_to_moderator(
            MessageKind.MODERATOR_ALERT,
            moderator,
            f"Held for review: {comment.author_name} on “{comment.article.title}”",
            "mail/moderator_alert.txt",
            held=held,
        )


def queue_due_digests() -> int:
    """For `send-mail`: a digest to each moderator whose digest period has passed."""
    now = utcnow()
    period = timedelta(minutes=int(current_app.config["MAIL_DIGEST_MINUTES"]))
    queued = 0
    for moderator in db.session.scalars(_alerted(AlertMode.DIGEST)).all():
        since = moderator.digest_sent_at or now - period
        if now - since < period:
            continue
        waiting = (Comment.status == CommentStatus.PENDING, Comment.created_at > since)
        total = db.session.scalar(select(func.count()).where(*waiting))
        comments = db.session.scalars(
            select(Comment)
            .where(*waiting)
            .order_by(Comment.created_at, Comment.id)
            .limit(DIGEST_LIMIT)
            .options(selectinload(Comment.article))
        ).all()
        moderator.digest_sent_at = now
        if not comments:
            continue
        _queue_to_moderator(
            MessageKind.MODERATOR_DIGEST,
            moderator,
            f"{total} comment{'' if total == 1 else 's'} held for review",
            "mail/moderator_digest.txt",
            held_comments=[held_comment(comment, moderator) for comment in comments],
            more=total - len(comments),
        )
        queued += 1
    db.session.flush()
    return queued


def held_comment(comment: Comment, moderator: Moderator) -> dict:
    """What an alert says about one comment, with this moderator's own action links."""
    return {
        "comment": comment,
        "article_url": site_link("articles.show", slug=comment.article.slug),
        "reasons": [describe(code) for code in comment.moderation_reasons],
        "actions": [
            (name.replace("_", " ").capitalize(), moderation_link_url(comment, name, moderator))
            for name in EMAIL_ACTIONS
        ],
    }


def _queue_to_moderator(
    kind: MessageKind, moderator: Moderator, subject: str, template: str, **context
):
    unsubscribe_url = moderator_unsubscribe_url(moderator)
    body = render_body(
        template,
        moderator=moderator,
        desk_url=site_link("moderation.queue"),
        unsubscribe_url=unsubscribe_url,
        **context,
    )
    queue_message(kind, moderator.email, subject, body, unsubscribe_headers(unsubscribe_url))
