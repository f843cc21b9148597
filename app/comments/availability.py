"""Whether an article takes comments now, and if not, the sentence that says why."""

from collections.abc import Mapping
from datetime import datetime
from datetime import timedelta
from typing import Any

from app.extensions import db
from app.models import Article
from app.models import CommentMode
from app.models import utcnow
from app.page_versions import retire_public_copies
from app.site_settings import current_settings

SITE_SWITCHED_OFF = "Comments are switched off across the site for the moment."
ARTICLE_CLOSED = "Comments are closed on this article."


def closed_reason(
    article: Article, now: datetime | None = None, settings: Mapping[str, Any] | None = None
) -> str | None:
    """Why the article takes no comments now, by `settings` (current_settings() unless a
    page brings the ones it shows)."""
    if settings is None:
        settings = current_settings()
    if not settings["COMMENTS_ENABLED"]:
        return SITE_SWITCHED_OFF
    if article.comment_mode is CommentMode.CLOSED:
        return ARTICLE_CLOSED
    days = settings["COMMENTS_CLOSE_AFTER_DAYS"]
    if days and article.published_at + timedelta(days=days) < (now or utcnow()):
        return f"Comments close {days} days after publication; this discussion has ended."
    return None


def set_comment_mode(article: Article, mode: CommentMode) -> None:
    """Open, closed, or every comment held: the article's pages show it at once."""
    article.comment_mode = mode
    db.session.flush()
    retire_public_copies(article.id)
