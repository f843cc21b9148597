"""Mail to commenters, who only get any if they asked: published, answered, chosen as an
Editors' pick, and the confirmation request that comes first (double opt-in).

No message names another commenter's address: a reply notice gives the replier's name only.
"""

from flask import current_app

from app import subscriptions
from app.extensions import db
from app.mail.bodies import render_body
from app.mail.links import sign
from app.mail.links import site_link
from app.mail.outbox import queue_message
from app.models import Comment
from app.models import CommentStatus
from app.models import MessageKind
from app.models import NoticeSent
from app.models import ReaderAddress
from app.models import utcnow
from app.notifications.unsubscribe import reader_unsubscribe_url
from app.notifications.unsubscribe import unsubscribe_headers

CONFIRM_PURPOSE = "confirm-address"


def request_confirmation(address: ReaderAddress, comment: Comment) -> None:
    """Ask the address to confirm it wants notices; nothing else goes there until it does."""
    if not subscriptions.should_request_confirmation(address):
        return
    address.confirmation_sent_at = utcnow()
    confirm_url = site_link(
        "email_links.confirm_address", token=sign(CONFIRM_PURPOSE, {"r": address.id})
    )
    _queue_to_reader(
        MessageKind.CONFIRM_ADDRESS,
        address,
        f"Please confirm your email address for {current_app.config['SITE_NAME']}",
        "mail/confirm_address.txt",
        comment=comment,
        confirm_url=confirm_url,
    )


def notify_published(comment: Comment) -> None:
    address = _author_who_wants_this_notice(comment, MessageKind.PUBLISHED)
    if address is None:
        return
    _queue_to_reader(
        MessageKind.PUBLISHED,
        address,
        f"Your comment on “{comment.article.title}” is published",
        "mail/published.txt",
        comment=comment,
        comment_url=_permalink(comment),
    )


def notify_picked(comment: Comment) -> None:
    address = _author_who_wants_this_notice(comment, MessageKind.PICKED)
    if address is None:
        return
    _queue_to_reader(
        MessageKind.PICKED,
        address,
        "Your comment was chosen as an Editors’ pick",
        "mail/picked.txt",
        comment=comment,
        # The lasting address: it finds the comment's page however long the discussion.
        comment_url=site_link("articles.permalink", comment_id=comment.id),
    )


def _author_who_wants_this_notice(comment: Comment, kind: MessageKind) -> ReaderAddress | None:
    """The approved comment's author, if they asked for notices and have not had this one:
    once per comment and kind, however often it is unapproved (or unpicked) and back."""
    if comment.status is not CommentStatus.APPROVED or not subscriptions.is_subscribed(comment):
        return None
    address = subscriptions.address_for(comment.author_email)
    if not subscriptions.may_receive_notices(address) or not _first_notice(kind, comment):
        return None
    return address


def notify_reply(reply: Comment) -> None:
    """Tell the author of the comment answered, if they asked and it is still up."""
    parent = db.session.get(Comment, reply.parent_id) if reply.parent_id else None
    if reply.status is not CommentStatus.APPROVED or parent is None:
        return
    if parent.status is not CommentStatus.APPROVED or not subscriptions.is_subscribed(parent):
        return
    if _same_person(reply, parent):
        return  # answering yourself is no news
    address = subscriptions.address_for(parent.author_email)
    if not subscriptions.may_receive_notices(address) or not _first_notice(
        MessageKind.REPLY, reply
    ):
        return
    _queue_to_reader(
        MessageKind.REPLY,
        address,
        f"{reply.author_name} replied to your comment on “{reply.article.title}”",
        "mail/reply.txt",
        reply=reply,
        parent=parent,
        reply_url=_permalink(reply),
    )


def _same_person(reply: Comment, parent: Comment) -> bool:
    if not reply.author_email or not parent.author_email:
        return False
    return subscriptions.normalised(reply.author_email) == subscriptions.normalised(
        parent.author_email
    )


def _first_notice(kind: MessageKind, comment: Comment) -> bool:
    """Once per comment and kind, however often it is unapproved and approved again."""
    if db.session.get(NoticeSent, (kind, comment.id)) is not None:
        return False
    db.session.add(NoticeSent(kind=kind, comment_id=comment.id))
    db.session.flush()
    return True


def _permalink(comment: Comment) -> str:
    return site_link("articles.show", slug=comment.article.slug, _anchor=f"comment-{comment.id}")


def _queue_to_reader(
    kind: MessageKind, address: ReaderAddress, subject: str, template: str, **context
):
    unsubscribe_url = reader_unsubscribe_url(address)
    body = render_body(
        template,
        unsubscribe_url=unsubscribe_url,
        **context,
    )
    queue_message(kind, address.email, subject, body, unsubscribe_headers(unsubscribe_url))
