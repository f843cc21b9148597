"""What a newsroom must do with commenters' personal data: export it, erase it, let it age out."""

from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Comment
from app.models import CommentRevision
from app.models import utcnow
from app.page_versions import retire_public_copies
from app.spam_filter import lessons
from app.subscriptions import describe_address
from app.subscriptions import forget_address

ANONYMOUS = "Anonymous"


def _written_by(email: str):
    return func.lower(Comment.author_email) == email.strip().lower()


def export_commenter(email: str) -> dict[str, Any]:
    """Everything stored about this address's comments, as a JSON-ready document."""
    comments = db.session.scalars(
        select(Comment)
        .where(_written_by(email))
        .order_by(Comment.created_at)
        .options(selectinload(Comment.article))
    ).all()
    return {
        "email": email.strip(),
        "exported_at": utcnow().isoformat(),
        "comments": [
            {
                "id": comment.id,
                "article": comment.article.title,
                "article_slug": comment.article.slug,
                "name": comment.author_name,
                "email": comment.author_email,
                "website": comment.author_website,
                "text": comment.body_raw,
                "status": comment.status.value,
                "written_at": comment.created_at.isoformat(),
                "editors_pick_since": comment.picked_at.isoformat() if comment.picked_at else None,
                "ip_address": comment.ip_address,
                "user_agent": comment.user_agent,
            }
            for comment in comments
        ],
        "email_notices": describe_address(email),
    }


def anonymise_commenter(email: str) -> int:
    """Keep the words, drop the person: name becomes "Anonymous", the rest is erased.

    Earlier versions of the text (kept when a moderator edited it) go too.
    """
    ids = select(Comment.id).where(_written_by(email))
    taught_ids = db.session.scalars(ids.where(Comment.taught_as.is_not(None))).all()
    forget_address(email)
    _retire_public_copies(email)
    db.session.execute(
        delete(CommentRevision)
        .where(CommentRevision.comment_id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    result = db.session.execute(
        update(Comment)
        .where(_written_by(email))
        .values(
            author_name=ANONYMOUS,
            author_email=None,
            author_website=None,
            ip_address=None,
            user_agent=None,
            # Nothing more about them goes to Akismet: a comment it never checked is not
            # reported (app/second_opinion.py).
            akismet_verdict=None,
            akismet_told=None,
        )
        .execution_options(synchronize_session=False)
    )
    _relearn_without_the_person(taught_ids)
    return result.rowcount


def _relearn_without_the_person(comment_ids: list[int]) -> None:
    """The spam filter's counts held keyed hashes of the name, email and website domain."""
    taught = select(Comment).where(Comment.id.in_(comment_ids))
    for comment in db.session.scalars(taught.execution_options(populate_existing=True)):
        lessons.relearn_after_erasure(comment)
    db.session.flush()


def delete_commenter(email: str) -> int:
    forget_address(email)
    _retire_public_copies(email)
    for comment in db.session.scalars(
        select(Comment).where(_written_by(email), Comment.taught_as.is_not(None))
    ):
        lessons.forget(comment)
    db.session.flush()
    result = db.session.execute(
        delete(Comment).where(_written_by(email)).execution_options(synchronize_session=False)
    )
    return result.rowcount


def _retire_public_copies(email: str) -> None:
    """The articles that show these comments change: their cached pages must go."""
    article_ids = db.session.scalars(
        select(Comment.article_id).where(_written_by(email)).distinct()
    ).all()
    for article_id in article_ids:
        retire_public_copies(article_id)


def forget_old_client_details(days: int) -> int:
    """Erase IP addresses and user agents from comments older than `days`."""
    result = db.session.execute(
        update(Comment)
        .where(
            Comment.created_at < utcnow() - timedelta(days=days),
            (Comment.ip_address.is_not(None)) | (Comment.user_agent.is_not(None)),
        )
        .values(ip_address=None, user_agent=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
