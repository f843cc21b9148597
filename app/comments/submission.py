"""Turning a valid form into a stored comment that waits for a moderator."""

from dataclasses import dataclass

from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentStatus
from app.sanitize import clean_comment

USER_AGENT_LIMIT = 512


@dataclass(frozen=True)
class CommentFields:
    name: str
    email: str
    website: str | None
    body: str


@dataclass(frozen=True)
class ClientDetails:
    ip_address: str | None
    user_agent: str | None


def submit_comment(article: Article, fields: CommentFields, client: ClientDetails) -> Comment:
    comment = Comment(
        article=article,
        author_name=fields.name,
        author_email=fields.email,
        author_website=fields.website or None,
        body_raw=fields.body,
        body_html=clean_comment(fields.body),
        # Every new comment waits, whatever else the request claimed.
        status=CommentStatus.PENDING,
        ip_address=client.ip_address,
        user_agent=(client.user_agent or "")[:USER_AGENT_LIMIT] or None,
    )
    db.session.add(comment)
    db.session.flush()
    return comment
