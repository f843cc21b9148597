"""Which of our articles an imported post or thread belongs to; made from the post if need be.

An operator's --map file is asked first: it is their word about this very post. Then the
post's own slug, then the last part of its address (WordPress and most sites put the slug
there). A post matching none becomes a new article, unless --comments-only was given or the
format carries no story (Disqus) or the post was never published (a draft must not go live).
"""

import csv
import re
import unicodedata
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from urllib.parse import urlsplit

from sqlalchemy import select

from app.articles.importer import SLUG_PATTERN
from app.articles.importer import ArticleSource
from app.articles.importer import publish_article
from app.extensions import db
from app.models import Article
from app.models import CommentMode
from app.models import utcnow
from app.porting.records import ImportFileError
from app.porting.records import SourceArticle

SLUG_LIMIT = 200
TITLE_LIMIT = 300
BYLINE_LIMIT = 200
IMPORTED_BYLINE = "From the archive"


@dataclass(frozen=True)
class Placement:
    # None when not placed, or in a dry run for an article that would be created.
    article_id: int | None
    slug: str | None
    created: bool = False
    # Why its comments cannot be placed.
    problem: str | None = None


class ArticlePlacer:
    def __init__(self, mapping: Mapping[str, str], create_articles: bool, dry_run: bool):
        self.mapping = mapping
        self.create_articles = create_articles
        self.dry_run = dry_run
        self._ids_by_slug: dict[str, int | None] = {}

    def place(self, article: SourceArticle) -> Placement:
        if article.excluded_because:
            return Placement(None, None, problem=article.excluded_because)
        candidates = list(dict.fromkeys(self._candidate_slugs(article)))
        for slug in candidates:
            if self._exists(slug):
                return Placement(self._ids_by_slug[slug], slug)
        if not self.create_articles:
            return Placement(None, None, problem="no matching article (--comments-only)")
        if article.body is None:
            return Placement(None, None, problem="no matching article")
        if not article.may_be_created:
            return Placement(None, None, problem="no matching article, and the post is a draft")
        usable = [slug for slug in candidates if SLUG_PATTERN.match(slug)]
        slug = usable[0] if usable else _slug_from(f"imported-{article.key}")
        if not slug:
            return Placement(None, None, problem="no matching article, and no slug to make one")
        if self.dry_run:
            self._ids_by_slug[slug] = None
            return Placement(None, slug, created=True)
        created, _ = publish_article(
            ArticleSource(
                title=article.title.strip()[:TITLE_LIMIT] or slug,
                slug=slug,
                summary=article.summary,
                at_a_glance=[],
                byline=article.byline.strip()[:BYLINE_LIMIT] or IMPORTED_BYLINE,
                author_bio="",
                published_at=article.published_at or utcnow(),
                comment_mode=article.comment_mode or CommentMode.OPEN,
                # Markdown passes HTML through, and turns WordPress's blank-line paragraphs
                # into <p>; the article sanitiser cleans the result. Kept as the article's
                # source, so `flask resanitize` re-renders it like any other.
                body_markdown=article.body,
            )
        )
        self._ids_by_slug[slug] = created.id
        return Placement(created.id, slug, created=True)

    def _candidate_slugs(self, article: SourceArticle) -> Iterator[str]:
        for name in (article.link, article.key, *article.other_names):
            if name and (mapped := self.mapping.get(name) or self.mapping.get(_plain_url(name))):
                yield mapped
        if article.slug:
            yield from filter(None, (article.slug, _slug_from(article.slug)))
        if article.link:
            segment = last_path_segment(article.link)
            if segment:
                yield _slug_from(segment)

    def _exists(self, slug: str) -> bool:
        if slug not in self._ids_by_slug:
            found = db.session.scalar(select(Article.id).where(Article.slug == slug))
            if found is None:
                return False
            self._ids_by_slug[slug] = found
        return True


def last_path_segment(address: str) -> str:
    path = urlsplit(address.strip()).path
    return unquote(path.rstrip("/").rpartition("/")[2])


def read_map_file(path: Path) -> dict[str, str]:
    """A CSV of (old URL or id, our slug) rows; a first row naming the columns is skipped."""
    mapping: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8-sig") as lines:
        for number, row in enumerate(csv.reader(lines), start=1):
            cells = [cell.strip() for cell in row]
            if not any(cells) or (number == 1 and cells[-1].lower() == "slug"):
                continue
            if len(cells) != 2 or not SLUG_PATTERN.match(cells[1]):
                raise ImportFileError(
                    f"{path.name}, line {number}: write 'old address or id,our-slug'."
                )
            mapping[cells[0]] = cells[1]
            mapping.setdefault(_plain_url(cells[0]), cells[1])
    return mapping


def _plain_url(address: str) -> str:
    """http or https, with or without a final slash or a fragment: the same page."""
    parts = urlsplit(address.strip())
    if not parts.netloc:
        return address.strip()
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.netloc.lower()}{path}{query}"


def _slug_from(text: str) -> str:
    """A slug our article addresses accept: lower-case ASCII letters, digits and hyphens."""
    ascii_text = unicodedata.normalize("NFKD", unquote(text)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_LIMIT].rstrip("-")
