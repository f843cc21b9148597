"""What the readers of each format hand the importer: plain values, no database."""

import hashlib
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from app.models import CommentMode
from app.models import CommentStatus

# The size of the columns that keep sources and ids (see Comment.source).
ID_LIMIT = 120


@dataclass(frozen=True)
class Origin:
    """Which site the file came from: imported comments are keyed by it and their ids there."""

    source: str


@dataclass(frozen=True)
class SourceArticle:
    """A post, page or thread of the file, which comments name by `key`."""

    key: str
    title: str = ""
    # The slug the other site used (WordPress's post_name), if it had one.
    slug: str | None = None
    link: str | None = None
    # Other names an operator's --map file may use for it: post id, guid, thread identifier.
    other_names: tuple[str, ...] = ()
    published_at: datetime | None = None
    comment_mode: CommentMode | None = None
    # The body to create an article from, in Markdown (HTML passes through it); None when
    # the format carries none (Disqus), which means the article cannot be created.
    body: str | None = None
    byline: str = ""
    summary: str = ""
    # Why its comments are skipped whatever the site holds (an attachment, a page without
    # --pages); None when it may be placed.
    excluded_because: str | None = None
    # Only published posts may become new articles: a draft must not go live by import.
    may_be_created: bool = True


@dataclass(frozen=True)
class SourceComment:
    article_key: str
    source_id: str
    parent_source_id: str | None
    name: str
    email: str | None
    website: str
    ip_address: str
    body: str
    created_at: datetime | None
    # None: a status the reader did not recognise (held as pending, and counted).
    status: CommentStatus | None
    # "comment" for a reader's comment; pingback, trackback, order_note... are skipped.
    kind: str = "comment"
    user_agent: str = ""
    # Things the reader had to assume, to say in the summary ("date read in Europe/Paris").
    notes: tuple[str, ...] = field(default=())


Record = Origin | SourceArticle | SourceComment


def bounded_id(identifier: str) -> str:
    """An id that fits its column: long ones (a guid that is a URL) are stored as a hash."""
    if len(identifier) <= ID_LIMIT:
        return identifier
    return "sha256-" + hashlib.sha256(identifier.encode("utf-8")).hexdigest()


class ImportFileError(ValueError):
    """The file cannot be read as the format it claims; the message says where and why."""
