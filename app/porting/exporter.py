"""Streaming every article and all its comments (every status) out, one article at a time.

Comments are read as plain rows, a thousand at a time, and written straight out, so memory
holds one article and one block of comments whatever the size of the site. Exports hold
commenters' personal data (emails, IP addresses): cli.py writes them readable by their
owner only.
"""

from collections.abc import Callable
from collections.abc import Iterator
from datetime import tzinfo

from sqlalchemy import func
from sqlalchemy import select

from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import utcnow
from app.porting import jsonl
from app.porting.wxr_writer import WxrWriter

ROWS_AT_A_TIME = 1000
COMMENT_COLUMNS = (
    Comment.id,
    Comment.parent_id,
    Comment.status,
    Comment.created_at,
    Comment.author_name,
    Comment.author_email,
    Comment.author_website,
    Comment.ip_address,
    Comment.user_agent,
    Comment.body_raw,
)


class JsonLinesWriter:
    def __init__(self, site_url: str | None):
        self.site_url = site_url

    def start(self, exported_at) -> str:
        return jsonl.header_line(self.site_url, exported_at)

    def article_start(self, article: Article) -> str:
        return jsonl.article_line(article)

    def comment(self, comment, article: Article) -> str:
        return jsonl.comment_line(comment, article.slug)

    def article_end(self, article: Article) -> str:
        return ""

    def end(self) -> str:
        return ""


def comment_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Comment))


def export_comments(
    write: Callable[[str], object],
    file_format: str,
    site_name: str,
    site_url: str | None,
    site_timezone: tzinfo,
) -> Iterator[int]:
    """Writes the export through `write`; yields how many comments each article had."""
    writer = (
        WxrWriter(site_name, site_url, site_timezone)
        if file_format == "wordpress"
        else JsonLinesWriter(site_url)
    )
    write(writer.start(utcnow()))
    for article_id in db.session.scalars(select(Article.id).order_by(Article.id)).all():
        article = db.session.get(Article, article_id)
        write(writer.article_start(article))
        written = 0
        rows = db.session.execute(
            select(*COMMENT_COLUMNS)
            .where(Comment.article_id == article_id)
            .order_by(Comment.id)
            .execution_options(yield_per=ROWS_AT_A_TIME)
        )
        for comment in rows:
            write(writer.comment(comment, article))
            written += 1
        write(writer.article_end(article))
        # Done with it: the session would otherwise keep every article's text to the end.
        db.session.expunge(article)
        yield written
    write(writer.end())
