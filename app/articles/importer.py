"""Articles written in Markdown with a YAML front-matter header, published by slug.

---
title: Paris summit ...
slug: paris-summit-ukraine-security
summary: One or two sentences for the home page.
at_a_glance:
  - First point
byline: Foreign Desk
author_bio: What the desk covers.
published: 2026-01-06T18:00:00Z
comments: open          # or closed
---
Body in Markdown: ## headings, lists, > quotes, tables.
"""

import re
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Article
from app.models import CommentMode
from app.page_versions import retire_public_copies
from app.sanitize import clean_article_html

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n(.*)\Z", re.DOTALL)
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "smarty"]
REQUIRED_FIELDS = ("title", "slug", "byline", "published")


class ArticleFileError(ValueError):
    """The file cannot be published as it is; the message says what to fix."""


@dataclass(frozen=True)
class ArticleSource:
    title: str
    slug: str
    summary: str
    at_a_glance: list[str]
    byline: str
    author_bio: str
    published_at: datetime
    comment_mode: CommentMode
    body_markdown: str


def parse_article(text: str) -> ArticleSource:
    # Imported here: only the command line publishes articles, and web workers save 2 MB.
    import yaml

    match = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise ArticleFileError(
            "The file must start with a front-matter header between '---' lines."
        )
    try:
        header = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        raise ArticleFileError(f"The front-matter header is not valid YAML: {error}") from error
    if not isinstance(header, dict):
        raise ArticleFileError("The front-matter header must be a list of 'name: value' lines.")
    missing = [field for field in REQUIRED_FIELDS if not header.get(field)]
    if missing:
        raise ArticleFileError(f"The front-matter header is missing: {', '.join(missing)}.")

    slug = str(header["slug"])
    if not SLUG_PATTERN.match(slug):
        raise ArticleFileError(
            f"The slug {slug!r} may only hold lower-case letters, digits and single hyphens."
        )
    at_a_glance = header.get("at_a_glance") or []
    if not isinstance(at_a_glance, list):
        raise ArticleFileError("at_a_glance must be a list of bullet points ('- ...' lines).")
    comments = str(header.get("comments", "open")).lower()
    if comments not in {mode.value for mode in CommentMode}:
        raise ArticleFileError("comments must be 'open', 'closed' or 'held'.")

    return ArticleSource(
        title=str(header["title"]).strip(),
        slug=slug,
        summary=str(header.get("summary", "")).strip(),
        at_a_glance=[str(point).strip() for point in at_a_glance],
        byline=str(header["byline"]).strip(),
        author_bio=str(header.get("author_bio", "")).strip(),
        published_at=_as_utc_datetime(header["published"]),
        comment_mode=CommentMode(comments),
        body_markdown=match.group(2).strip() + "\n",
    )


def publish_article(source: ArticleSource) -> tuple[Article, bool]:
    """Create the article, or update the one with the same slug. Returns (article, created)."""
    article = db.session.scalar(select(Article).where(Article.slug == source.slug))
    created = article is None
    if created:
        article = Article(slug=source.slug)
        db.session.add(article)
    article.title = source.title
    article.summary = source.summary
    article.at_a_glance = source.at_a_glance
    article.byline = source.byline
    article.author_bio = source.author_bio
    article.published_at = source.published_at
    article.comment_mode = source.comment_mode
    article.body_markdown = source.body_markdown
    article.body_html = render_article_body(source.body_markdown)
    db.session.flush()
    if not created:
        # Pages kept by every worker show the old text.
        retire_public_copies(article.id)
        db.session.expire(article, ["comments_version"])
    return article, created


def render_article_body(body_markdown: str) -> str:
    import markdown  # here, not at the top: see parse_article

    html = markdown.markdown(body_markdown, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return clean_article_html(html)


def _as_utc_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError as error:
            raise ArticleFileError(
                f"published {value!r} is not a date; write it like 2026-01-06T18:00:00Z."
            ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
