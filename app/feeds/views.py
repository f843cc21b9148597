"""The feeds' views; their routes are in app/feeds/__init__.py."""

from collections.abc import Iterable
from datetime import datetime

from flask import abort
from flask import render_template

from app import public
from app.models import utcnow

# Enough for a feed reader that checks a few times a day.
FEED_LENGTH = 50
ATOM_HEADERS = {
    "Content-Type": "application/atom+xml; charset=utf-8",
    # Feed readers poll; a few minutes' delay is fine, and the feeds hold nothing personal.
    "Cache-Control": "public, max-age=300",
}


def articles():
    articles = public.published_articles(limit=FEED_LENGTH, with_texts=True)
    updated = latest(public.article_last_changed(article) for article in articles)
    body = render_template("feeds/articles.xml", articles=articles, updated=updated)
    return body, ATOM_HEADERS


def article_comments(slug: str):
    article = public.published_article(slug) or abort(404)
    comments = public.approved_comments_newest_first(article, limit=FEED_LENGTH)
    updated = latest(
        (comment.created_at for comment in comments), public.article_last_changed(article)
    )
    body = render_template(
        "feeds/comments.xml", article=article, comments=comments, updated=updated
    )
    return body, ATOM_HEADERS


def latest(moments: Iterable[datetime], default: datetime | None = None) -> datetime:
    """A feed's `updated`: its newest entry, else `default`, else now (Atom requires one)."""
    return max(moments, default=default or utcnow())
