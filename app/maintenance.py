"""Bulk upkeep of stored HTML, for when the sanitiser's safelist changes or a fix ships."""

from collections.abc import Iterator

from sqlalchemy import select

from app.articles.importer import render_article_body
from app.extensions import db
from app.models import Article
from app.models import Comment
from app.page_versions import retire_public_copies
from app.sanitize import clean_comment

BATCH_SIZE = 500


def resanitize_comments() -> Iterator[tuple[int, int]]:
    """Re-clean every comment from its raw text, a batch at a time.

    Yields (comments seen, comments changed) after each batch, so the caller can commit and
    a site with a hundred thousand comments never holds them all in one transaction.
    """
    last_id = 0
    while True:
        batch = db.session.scalars(
            select(Comment).where(Comment.id > last_id).order_by(Comment.id).limit(BATCH_SIZE)
        ).all()
        if not batch:
            return
        changed = 0
        changed_articles = set()
        for comment in batch:
            clean = clean_comment(comment.body_raw)
            if clean != comment.body_html:
                comment.body_html = clean
                changed += 1
                changed_articles.add(comment.article_id)
        last_id = batch[-1].id
        db.session.flush()
        for article_id in sorted(changed_articles):
            retire_public_copies(article_id)
        yield len(batch), changed


def resanitize_articles() -> int:
    changed = 0
    for article in db.session.scalars(select(Article)):
        clean = render_article_body(article.body_markdown)
        if clean != article.body_html:
            article.body_html = clean
            changed += 1
    db.session.flush()
    if changed:
        retire_public_copies()
    return changed
