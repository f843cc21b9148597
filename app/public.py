"""The one place that decides what a reader may see.

Public pages get these views and queries, never model objects, so a commenter's email,
IP address and user agent cannot reach a public template by accident: the fields simply
are not there.
"""

from array import array
from collections.abc import Collection
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from markupsafe import Markup
from sqlalchemy import Integer
from sqlalchemy import Row
from sqlalchemy import and_
from sqlalchemy import bindparam
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import defer

from app.database import reading_connection
from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentMode
from app.models import CommentStatus
from app.models import utcnow
from app.prepared_reads import PreparedRead
from app.sanitize import as_markup
from app.site_settings import current_settings


@dataclass(frozen=True, slots=True)
class PublicComment:
    id: int
    author_name: str
    author_website: str | None
    body_html: Markup
    created_at: datetime
    awaiting_moderation: bool
    is_staff: bool = False
    parent_id: int | None = None
    # An Editors' pick (only ever an approved comment).
    picked: bool = False

    @property
    def anchor(self) -> str:
        return f"comment-{self.id}"

    @property
    def text(self) -> str:
        """The words without markup, for machines (schema.org data)."""
        return self.body_html.striptags()


def public_comment(comment: Comment | Row) -> PublicComment:
    """What a reader may see of a comment, from the model or from a row of its columns."""
    return PublicComment(
        id=comment.id,
        author_name=comment.author_name,
        author_website=comment.author_website,
        body_html=as_markup(comment.body_html),
        created_at=comment.created_at,
        awaiting_moderation=comment.status is CommentStatus.PENDING,
        is_staff=comment.staff_author_id is not None,
        parent_id=comment.parent_id,
        picked=comment.picked_at is not None,
    )


def published_articles(limit: int | None = 20, with_texts: bool = False) -> Sequence[Article]:
    """Newest first; `limit=None` gives every published article (the sitemap wants them all).

    Without `with_texts` the articles' Markdown and HTML (tens of KB each) stay in the
    database: the home page and the sitemap list titles, and every article loaded whole
    would sit in the worker's memory until the page is sent.
    """
    query = (
        select(Article)
        .where(Article.published_at <= utcnow())
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(limit)
        .options(defer(Article.body_markdown))
    )
    if not with_texts:
        query = query.options(defer(Article.body_html))
    return db.session.scalars(query).all()


# Built once: every article page and every comment POST asks, and composing the statement
# costs about as much as running it.
_PUBLISHED_WITH_SLUG = (Article.slug == bindparam("slug"), Article.published_at <= bindparam("now"))
_PUBLISHED_ARTICLE = select(Article).where(*_PUBLISHED_WITH_SLUG)


# A comment POST needs the article's id, slug, title and settings, not its text: the body
# (tens of KB, twice) is loaded only if the form is shown again.
_ARTICLE_TO_COMMENT_ON = _PUBLISHED_ARTICLE.options(
    defer(Article.body_markdown),
    defer(Article.body_html),
    defer(Article.summary),
    defer(Article.at_a_glance),
    defer(Article.author_bio),
)


def published_article(slug: str) -> Article | None:
    return db.session.scalar(_PUBLISHED_ARTICLE, {"slug": slug, "now": utcnow()})


def published_article_to_comment_on(slug: str) -> Article | None:
    """The article, without its texts (loaded on first use, if the form comes back)."""
    return db.session.scalar(_ARTICLE_TO_COMMENT_ON, {"slug": slug, "now": utcnow()})


@dataclass(frozen=True, slots=True)
class ArticleVersion:
    """What a kept article page depends on: enough to find it and to know it is current.

    Read on every page view, so it is a few columns, not the whole article with its body.
    """

    id: int
    slug: str
    comments_version: int
    comment_mode: CommentMode
    published_at: datetime


_ARTICLE_VERSION = select(
    Article.id,
    Article.slug,
    Article.comments_version,
    Article.comment_mode,
    Article.published_at,
).where(*_PUBLISHED_WITH_SLUG)


def published_article_version(slug: str) -> ArticleVersion | None:
    with reading_connection() as connection:
        row = connection.execute(_ARTICLE_VERSION, {"slug": slug, "now": utcnow()}).first()
    return ArticleVersion(*row) if row else None


# What every public page depends on, read in one statement: a change of any of these moves it.
# The count and the highest id move when an article is added, removed or reaches its
# publication time; the latest updated_at with any change to an article's row; the sum of
# comments_version with every change readers can see of its comments (retire_public_copies
# in app/page_versions.py); the closed count when an article passes
# COMMENTS_CLOSE_AFTER_DAYS.
_PUBLIC_PAGES_VERSION = select(
    func.count(),
    func.max(Article.id),
    func.max(Article.updated_at),
    func.coalesce(func.sum(Article.comments_version), 0),
    func.count(case((Article.published_at < bindparam("closes_before"), 1))),
).where(Article.published_at <= bindparam("now"))


def public_pages_version() -> tuple:
    """Equal for two moments only if every public page would be made the same at both.

    Read once a second per worker at most (app/public_copies/), however many readers come.
    """
    with reading_connection() as connection:
        settings = current_settings()  # on the same connection
        now = utcnow()
        days = settings["COMMENTS_CLOSE_AFTER_DAYS"]
        closes_before = now - timedelta(days=days) if days else datetime.min.replace(tzinfo=UTC)
        articles = connection.execute(
            _PUBLIC_PAGES_VERSION, {"now": now, "closes_before": closes_before}
        ).one()
    return (*articles, tuple(sorted((name, repr(value)) for name, value in settings.items())))


def approved_comment_counts(articles: Collection[Article]) -> dict[int, int]:
    if not articles:
        return {}
    query = (
        select(Comment.article_id, func.count())
        .where(
            Comment.article_id.in_([article.id for article in articles]),
            Comment.status == CommentStatus.APPROVED,
        )
        .group_by(Comment.article_id)
    )
    counts = {article_id: count for article_id, count in db.session.execute(query)}
    return {article.id: counts.get(article.id, 0) for article in articles}


def approved_thread_rows(article: Article) -> Iterator[tuple[int, int]]:
    """Every approved comment's id and parent id (0 for none), oldest first (ties by id):
    what orders the threads. The database sorts, so no comment's time is read into the
    worker (a 5,000-comment article's times, parsed, cost a worker over a megabyte at its
    peak)."""
    # Row by row into two arrays: a 5,000-comment article's rows as a list of tuples took
    # 355 KB, as Row objects half as much again.
    ids = array("q")
    parent_ids = array("q")
    with reading_connection() as connection:
        for comment_id, parent_id in connection.execute(
            _APPROVED_THREAD_ROWS, {"article_id": article.id}
        ):
            ids.append(comment_id)
            parent_ids.append(parent_id or 0)
    return zip(ids, parent_ids, strict=True)


def picked_comment_ids(article: Article) -> list[int]:
    """The article's Editors' picks (approved comments only), the newest pick first."""
    with reading_connection() as connection:
        return list(connection.scalars(_PICKED_IDS, {"article_id": article.id}))


_APPROVED = (
    Comment.article_id == bindparam("article_id"),
    Comment.status == CommentStatus.APPROVED,
)
_APPROVED_THREAD_ROWS = (
    select(Comment.id, Comment.parent_id).where(*_APPROVED).order_by(Comment.created_at, Comment.id)
)
_PICKED_IDS = (
    select(Comment.id)
    .where(*_APPROVED, Comment.picked_at.is_not(None))
    .order_by(Comment.picked_at.desc(), Comment.id.desc())
)


def approved_comments_by_id(ids: Collection[int]) -> dict[int, PublicComment]:
    if not ids:
        return {}
    query = select(Comment).where(Comment.id.in_(ids), Comment.status == CommentStatus.APPROVED)
    return {comment.id: public_comment(comment) for comment in db.session.scalars(query)}


# Built once: asked on every page view of a reader whose own comments await moderation.
_OWN_PENDING_COLUMNS = (
    Comment.id,
    Comment.author_name,
    Comment.author_website,
    Comment.body_html,
    Comment.created_at,
    Comment.status,
    Comment.staff_author_id,
    Comment.parent_id,
    Comment.picked_at,
)
# A reader's own comment is shown to them only while it awaits moderation.
_IS_PENDING = Comment.status == CommentStatus.PENDING
_IS_OWN_PENDING = (_IS_PENDING, Comment.id.in_(bindparam("ids", expanding=True)))
_OWN_PENDING = (
    select(*_OWN_PENDING_COLUMNS)
    .where(Comment.article_id == bindparam("article_id"), *_IS_OWN_PENDING)
    .order_by(Comment.created_at, Comment.id)
)
# The reader's ids go into named places, as many as a session remembers (REMEMBERED_LIMIT in
# app/comments/own.py), the spare ones repeating an id: one text for every reader, compiled
# once (prepared_reads.py) rather than expanded for each.
OWN_ID_PLACES = 50
_OWN_ID_PARAMETERS = [f"own_id_{place}" for place in range(OWN_ID_PLACES)]
# The article's version with them, one row per comment (one with none if there are none).
_ARTICLE_VERSION_WITH_OWN_PENDING = PreparedRead(
    select(
        *_OWN_PENDING_COLUMNS,
        Article.id.label("article_id"),
        Article.slug,
        Article.comments_version,
        Article.comment_mode,
        Article.published_at,
    )
    .select_from(Article)
    .outerjoin(
        Comment,
        and_(
            Comment.article_id == Article.id,
            _IS_PENDING,
            Comment.id.in_([bindparam(name, type_=Integer) for name in _OWN_ID_PARAMETERS]),
        ),
    )
    .where(*_PUBLISHED_WITH_SLUG)
    .order_by(Comment.created_at, Comment.id)
)


def published_article_with_own_pending(
    slug: str, own_comment_ids: Sequence[int]
) -> tuple[ArticleVersion | None, list[PublicComment]]:
    """The article's version and this reader's comments on it still waiting for a moderator,
    oldest first: what a kept page needs for a reader who has commented, in one statement.

    Of more ids than there are places, the newest (the last) are read."""
    if not own_comment_ids:
        return published_article_version(slug), []
    ids = list(own_comment_ids[-OWN_ID_PLACES:])
    places = dict(zip(_OWN_ID_PARAMETERS, ids + ids[:1] * (OWN_ID_PLACES - len(ids)), strict=True))
    with reading_connection() as connection:
        rows = _ARTICLE_VERSION_WITH_OWN_PENDING.rows(
            connection, {"slug": slug, "now": utcnow(), **places}
        )
    if not rows:
        return None, []
    first = rows[0]
    version = ArticleVersion(
        first.article_id, first.slug, first.comments_version, first.comment_mode, first.published_at
    )
    return version, [public_comment(row) for row in rows if row.id is not None]


def own_pending_comments(
    article: Article | ArticleVersion, own_comment_ids: Collection[int]
) -> list[PublicComment]:
    """This reader's comments still waiting for a moderator, oldest first.

    Plain rows, not model objects: on a kept page this is the reader's one query of their
    own, and it should not open the ORM session for it.
    """
    if not own_comment_ids:
        return []
    with reading_connection() as connection:
        rows = connection.execute(
            _OWN_PENDING, {"article_id": article.id, "ids": list(own_comment_ids)}
        ).all()
    return [public_comment(row) for row in rows]


def reply_target(article: Article, comment_id: int | None) -> PublicComment | None:
    """A comment a reader may answer: approved, and on this article."""
    if not comment_id:
        return None
    comment = db.session.scalar(
        select(Comment).where(
            Comment.id == comment_id,
            Comment.article_id == article.id,
            Comment.status == CommentStatus.APPROVED,
        )
    )
    return public_comment(comment) if comment else None


def approved_comment(comment_id: int) -> Comment | None:
    """An approved comment on a published article, or None: what readers may report."""
    query = (
        select(Comment)
        .join(Article)
        .where(
            Comment.id == comment_id,
            Comment.status == CommentStatus.APPROVED,
            Article.published_at <= utcnow(),
        )
    )
    return db.session.scalar(query)


def approved_comments_newest_first(article: Article, limit: int) -> list[PublicComment]:
    """What an article's comment feed shows: only approved comments, never pending ones."""
    query = (
        select(Comment)
        .where(Comment.article_id == article.id, Comment.status == CommentStatus.APPROVED)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    return [public_comment(comment) for comment in db.session.scalars(query)]


def article_last_changed(article: Article) -> datetime:
    """An article imported before its publication time counts as new when it is published."""
    return max(article.published_at, article.updated_at)
