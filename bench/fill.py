"""Filling our database fast: bulk inserts into the real schema, after `init-db` made it.

Rows go in through SQLAlchemy Core with the app's own models, so column types, enum values
and timestamps are stored exactly as the site stores them. body_html is what
`clean_comment` makes of the body, as it is for a comment sent through the form.
"""

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import insert
from sqlalchemy import select

from app import create_app
from app.articles.importer import parse_article
from app.articles.importer import publish_article
from app.cli import DEMO_ARTICLE
from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentStatus
from app.models import utcnow
from app.sanitize import clean_comment
from bench.comment_texts import ReaderComment
from bench.comment_texts import reader_comments

BATCH_SIZE = 10_000
READER_IP = "192.0.2.44"
READER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def app_for(instance_path: Path) -> Flask:
    return create_app({"INSTANCE_PATH": str(instance_path), "SECRET_KEY": "bench-filling-only"})


def publish_copy_of_demo_article(app: Flask, slug: str, title: str) -> None:
    """A second article as long as the demo one, for the page with thousands of comments."""
    demo = parse_article(DEMO_ARTICLE.read_text(encoding="utf-8"))
    with app.app_context():
        publish_article(dataclasses.replace(demo, slug=slug, title=title))
        db.session.commit()


def add_comments(
    app: Flask,
    slug: str,
    comments: list[ReaderComment],
    status: CommentStatus,
) -> None:
    """Store comments one second apart, the newest a second ago."""
    with app.app_context():
        article_id = db.session.scalar(select(Article.id).where(Article.slug == slug))
        if article_id is None:
            raise LookupError(f"no article {slug!r} to fill")
        for batch in _batches(_rows(article_id, comments, status)):
            db.session.execute(insert(Comment), batch)
        db.session.commit()
        db.engine.dispose()


def add_many_comments(app: Flask, slug: str, count: int, status: CommentStatus) -> None:
    """Like add_comments for large counts: readers and bodies cycle through a fixed pool."""
    pool = reader_comments(min(count, 200))
    add_comments(app, slug, [pool[index % len(pool)] for index in range(count)], status)


def _rows(article_id: int, comments: list[ReaderComment], status: CommentStatus) -> Iterator[dict]:
    cleaned: dict[str, str] = {}
    first_created = utcnow() - timedelta(seconds=len(comments))
    for index, comment in enumerate(comments):
        if comment.body not in cleaned:
            cleaned[comment.body] = clean_comment(comment.body)
        created_at = first_created + timedelta(seconds=index)
        approved = status is not CommentStatus.PENDING
        yield {
            "article_id": article_id,
            "author_name": comment.name,
            "author_email": comment.email,
            "author_website": comment.website,
            "body_raw": comment.body,
            "body_html": cleaned[comment.body],
            "status": status,
            "created_at": created_at,
            "ip_address": READER_IP,
            "user_agent": READER_AGENT,
            "status_changed_at": created_at + timedelta(seconds=1) if approved else None,
        }


def _batches(rows: Iterator[dict]) -> Iterator[list[dict]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch
