"""The one way to say that what readers see has changed, so every kept page is renewed.

Pages are kept in several places: each worker's public copies and rendered article pages,
nginx's micro-cache, a CDN. All of them are keyed, directly or through
`public.public_pages_version()`, by the articles' comments_version in the database, so every
worker on every machine sees the change. Every writer that changes what a reader could see
(a status, a comment's text, an article's mode, a re-cleaned comment) calls this.
"""

from sqlalchemy import update

from app.extensions import db
from app.models import Article


def retire_public_copies(article_id: int | None = None) -> None:
    """This article's pages (every article's, without an id) must be made again."""
    statement = update(Article).values(comments_version=Article.comments_version + 1)
    if article_id is not None:
        statement = statement.where(Article.id == article_id)
    db.session.execute(statement.execution_options(synchronize_session=False))
