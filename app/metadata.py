"""What machines read about a page: feed and sitemap times, schema.org data, full addresses.

Search engines, link previews and feed readers get the same public facts readers see on the
page, in the forms they expect.
"""

from collections.abc import Sequence
from datetime import UTC
from datetime import datetime
from typing import Any

from flask import Flask
from flask import current_app

from app import public
from app.models import Article
from app.public import PublicComment
from app.urls import absolute_url


def utc_timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC, as Atom, sitemaps and schema.org expect."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def news_article_data(
    article: Article, approved_comment_count: int, picks: Sequence[PublicComment] = ()
) -> dict[str, Any]:
    """A schema.org NewsArticle, for a <script type="application/ld+json"> data block.

    The Editors' picks the page shows are its `comment`s: public views, so no email can
    reach them.
    """
    url = absolute_url("articles.show", slug=article.slug)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,
        "description": article.summary,
        "datePublished": utc_timestamp(article.published_at),
        "dateModified": utc_timestamp(public.article_last_changed(article)),
        # Bylines here name desks as often as people; schema.org accepts either as author.
        "author": [{"@type": "Organization", "name": article.byline}],
        "publisher": {
            "@type": "Organization",
            "name": current_app.config["SITE_NAME"],
            "url": absolute_url("articles.home"),
            "logo": {
                "@type": "ImageObject",
                "url": absolute_url("static", filename="apple-touch-icon.png"),
            },
        },
        "isAccessibleForFree": True,
        "inLanguage": "en",
        "commentCount": approved_comment_count,
        "discussionUrl": url + "#comments",
    }
    if picks:
        data["comment"] = [comment_data(pick) for pick in picks]
    return data


def comment_data(comment: PublicComment) -> dict[str, Any]:
    """A schema.org Comment: who (by name only), when, what, and its lasting address."""
    return {
        "@type": "Comment",
        "author": {"@type": "Person", "name": comment.author_name},
        "datePublished": utc_timestamp(comment.created_at),
        "text": comment.text,
        "url": absolute_url("articles.permalink", comment_id=comment.id),
    }


def register(app: Flask) -> None:
    app.add_template_filter(utc_timestamp)
    app.add_template_global(absolute_url)
    app.add_template_global(public.article_last_changed)
    app.add_template_global(news_article_data)
