"""Our own format, JSON Lines: one JSON object per line (the README documents it).

The first line says what the file is; then each article, followed by its comments, replies
after the comments they answer. Everything is kept, statuses included, so an export can be
imported into another copy of the site as it was.
"""

import json
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from typing import Any
from typing import BinaryIO

from app.models import CommentMode
from app.models import CommentStatus
from app.porting.records import ImportFileError
from app.porting.records import Origin
from app.porting.records import Record
from app.porting.records import SourceArticle
from app.porting.records import SourceComment
from app.porting.records import bounded_id

FORMAT_NAME = "morning-ledger-comments"
VERSION = 1


def header_line(site_url: str | None, exported_at: datetime) -> str:
    return _line(
        {
            "format": FORMAT_NAME,
            "version": VERSION,
            "site": site_url,
            "exported_at": exported_at.isoformat(),
        }
    )


def article_line(article: Any) -> str:
    return _line(
        {
            "type": "article",
            "slug": article.slug,
            "title": article.title,
            "summary": article.summary,
            "byline": article.byline,
            "published_at": article.published_at.isoformat(),
            "comment_mode": article.comment_mode.value,
            "body_markdown": article.body_markdown,
        }
    )


def comment_line(comment: Any, article_slug: str) -> str:
    return _line(
        {
            "type": "comment",
            "id": comment.id,
            "article": article_slug,
            "parent": comment.parent_id,
            "status": comment.status.value,
            "created_at": comment.created_at.isoformat(),
            "name": comment.author_name,
            "email": comment.author_email,
            "website": comment.author_website,
            "ip_address": comment.ip_address,
            "user_agent": comment.user_agent,
            "text": comment.body_raw,
        }
    )


def _line(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False) + "\n"


def read_json_lines(stream: BinaryIO) -> Iterator[Record]:
    for number, raw_line in enumerate(stream, start=1):
        if not raw_line.strip():
            continue
        try:
            document = json.loads(raw_line)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ImportFileError(f"line {number} is not JSON: {error}") from error
        if not isinstance(document, dict):
            raise ImportFileError(f"line {number} is not a JSON object")
        try:
            if number == 1:
                yield _origin(document)
            elif document.get("type") == "article":
                yield _article(document)
            elif document.get("type") == "comment":
                yield _comment(document)
            else:
                raise ImportFileError("its type is neither article nor comment")
        except (KeyError, TypeError, ValueError) as error:
            raise ImportFileError(f"line {number}: {error}") from error


def _origin(document: dict) -> Origin:
    if document.get("format") != FORMAT_NAME:
        raise ImportFileError(f"the first line must name the format {FORMAT_NAME!r}")
    if document.get("version") != VERSION:
        raise ImportFileError(f"version {document.get('version')!r} is not one we read")
    site = document.get("site") or ""
    return Origin(bounded_id("ledger:" + site.rstrip("/").lower() if site else "ledger"))


def _article(document: dict) -> SourceArticle:
    slug = str(document["slug"])
    mode = document.get("comment_mode")
    return SourceArticle(
        key=slug,
        title=str(document.get("title") or slug),
        slug=slug,
        published_at=_date(document.get("published_at")),
        comment_mode=CommentMode(mode) if mode else None,
        body=str(document.get("body_markdown") or ""),
        byline=str(document.get("byline") or ""),
        summary=str(document.get("summary") or ""),
    )


def _comment(document: dict) -> SourceComment:
    parent = document.get("parent")
    email = document.get("email")
    return SourceComment(
        article_key=str(document["article"]),
        source_id=bounded_id(str(document["id"])),
        parent_source_id=bounded_id(str(parent)) if parent is not None else None,
        name=str(document.get("name") or ""),
        # null: erased before the export, and kept erased.
        email=None if email is None else str(email),
        website=str(document.get("website") or ""),
        ip_address=str(document.get("ip_address") or ""),
        body=str(document.get("text") or ""),
        created_at=_date(document.get("created_at")),
        status=CommentStatus(document["status"]),
        user_agent=str(document.get("user_agent") or ""),
    )


def _date(text: object) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(str(text))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
