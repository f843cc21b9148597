"""Reading WordPress's export format (WXR 1.0, 1.1 and 1.2) as a stream of records.

The file is parsed as it is read (iterparse): each <item> is turned into records when it
ends and then dropped from the tree, so memory holds one post and its comments at a time,
whatever the size of the file.
"""

import hashlib
import html
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import tzinfo
from email.utils import parsedate_to_datetime
from typing import BinaryIO
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import iterparse

from app.models import CommentMode
from app.models import CommentStatus
from app.porting.records import Origin
from app.porting.records import Record
from app.porting.records import SourceArticle
from app.porting.records import SourceComment
from app.porting.records import bounded_id

WXR_NAMESPACES = tuple(f"http://wordpress.org/export/1.{minor}/" for minor in (0, 1, 2))
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DUBLIN_CORE_NAMESPACE = "http://purl.org/dc/elements/1.1/"
EXCERPT_NAMESPACES = tuple(f"{namespace}excerpt/" for namespace in WXR_NAMESPACES)

STATUSES = {
    "1": CommentStatus.APPROVED,
    "approve": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.TRASH,
    # A comment whose post was trashed; WordPress restores both together.
    "post-trashed": CommentStatus.TRASH,
}
COMMENT_MODES = {"open": CommentMode.OPEN, "closed": CommentMode.CLOSED}
# WordPress writes "no GMT date" as zeros (drafts, and imports into WordPress itself).
NO_DATE = "0000-00-00 00:00:00"
# Meta keys our own export adds, which WordPress keeps as plain metadata.
USER_AGENT_META = "_ledger_user_agent"
COMMENT_MODE_META = "_ledger_comment_mode"


def read_wxr(stream: BinaryIO, site_timezone: tzinfo, include_pages: bool) -> Iterator[Record]:
    depth = 0
    channel: Element | None = None
    # wp:base_site_url names the site (the channel's <link> can be a sub-folder's blog).
    site: dict[str, str] = {}
    origin_sent = False
    # Safe on untrusted files with the expat Python ships (2.4+): it limits entity
    # expansion (billion laughs), and ElementTree never fetches external entities.
    for event, element in iterparse(stream, events=("start", "end")):  # noqa: S314
        if event == "start":
            depth += 1
            if depth == 2:
                channel = element
            continue
        if depth == 3 and channel is not None:
            name = _local_name(element.tag)
            if name in {"base_site_url", "link"}:
                site.setdefault(name, (element.text or "").strip())
            elif name == "item":
                if not origin_sent:
                    address = site.get("base_site_url") or site.get("link") or ""
                    yield Origin(bounded_id("wordpress:" + address.rstrip("/").lower()))
                    origin_sent = True
                yield from _item_records(element, site_timezone, include_pages)
            # The channel keeps its children: without this every finished item stays behind.
            channel.remove(element)
        depth -= 1


def _item_records(item: Element, site_timezone: tzinfo, include_pages: bool) -> Iterator[Record]:
    fields: dict[str, str] = {}
    meta: dict[str, str] = {}
    comments: list[Element] = []
    for child in item:
        name = _local_name(child.tag)
        if name == "comment":
            comments.append(child)
        elif name == "postmeta":
            meta.update(_meta(child))
        elif name == "encoded":
            kind = "content" if child.tag.startswith("{" + CONTENT_NAMESPACE) else "excerpt"
            fields[kind] = child.text or ""
        else:
            fields[name] = (child.text or "").strip()
    post_id = fields.get("post_id", "")
    link = fields.get("link") or None
    key = bounded_id(post_id or fields.get("guid") or link or fields.get("title", ""))
    post_type = fields.get("post_type") or "post"
    excluded = None
    if post_type == "page" and not include_pages:
        excluded = "on a page (add --pages to import those)"
    elif post_type not in {"post", "page"}:
        excluded = f"on a {post_type}, not a post"
    published_at, _ = _wordpress_date(
        fields.get("post_date_gmt", ""), fields.get("post_date", ""), site_timezone
    )
    if published_at is None and fields.get("pubDate"):
        published_at = _rss_date(fields["pubDate"])
    mode = COMMENT_MODES.get(fields.get("comment_status", ""))
    if meta.get(COMMENT_MODE_META) in {mode.value for mode in CommentMode}:
        mode = CommentMode(meta[COMMENT_MODE_META])
    yield SourceArticle(
        key=key,
        title=html.unescape(fields.get("title", "")),
        slug=fields.get("post_name") or None,
        link=link,
        other_names=tuple(name for name in (post_id, fields.get("guid")) if name),
        published_at=published_at,
        comment_mode=mode,
        body=fields.get("content", ""),
        byline=html.unescape(fields.get("creator", "")),
        excluded_because=excluded,
        may_be_created=fields.get("status", "publish") == "publish",
    )
    for comment in comments:
        yield _comment(comment, key, site_timezone)


def _comment(element: Element, item_key: str, site_timezone: tzinfo) -> SourceComment:
    fields: dict[str, str] = {}
    meta: dict[str, str] = {}
    for child in element:
        name = _local_name(child.tag)
        if name == "commentmeta":
            meta.update(_meta(child))
        else:
            fields[name] = child.text or ""
    created_at, note = _wordpress_date(
        fields.get("comment_date_gmt", ""), fields.get("comment_date", ""), site_timezone
    )
    comment_id = fields.get("comment_id", "").strip() or _content_id(fields)
    parent = fields.get("comment_parent", "").strip()
    # Ids are unique per post in practice, not per file: keyed by (post, id).
    return SourceComment(
        article_key=item_key,
        source_id=bounded_id(f"{item_key}:{comment_id}"),
        parent_source_id=bounded_id(f"{item_key}:{parent}") if parent not in {"", "0"} else None,
        # WordPress stores names with HTML entities ("Tom &amp; Jerry"); ours are plain text.
        name=html.unescape(fields.get("comment_author", "")),
        email=fields.get("comment_author_email", ""),
        website=fields.get("comment_author_url", ""),
        ip_address=fields.get("comment_author_IP", ""),
        body=fields.get("comment_content", ""),
        created_at=created_at,
        status=STATUSES.get(fields.get("comment_approved", "").strip()),
        kind=fields.get("comment_type", "").strip() or "comment",
        user_agent=meta.get(USER_AGENT_META, ""),
        notes=(note,) if note else (),
    )


def _wordpress_date(gmt: str, local: str, site_timezone: tzinfo) -> tuple[datetime | None, str]:
    """The GMT date if there is one, else the local date read in the site's timezone."""
    gmt, local = gmt.strip(), local.strip()
    if gmt and gmt != NO_DATE:
        moment = _parse(gmt)
        if moment is not None:
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment, ""
    if local and local != NO_DATE:
        moment = _parse(local)
        if moment is not None:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=site_timezone)
            return moment.astimezone(UTC), f"no GMT date: local time read in {site_timezone}"
    return None, ""


def _parse(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _rss_date(text: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _meta(element: Element) -> dict[str, str]:
    values = {_local_name(child.tag): child.text or "" for child in element}
    return {values.get("meta_key", ""): values.get("meta_value", "")}


def _content_id(fields: dict[str, str]) -> str:
    """A comment without an id still gets the same one on every import of the file."""
    text = "\x00".join(
        fields.get(name, "") for name in ("comment_date_gmt", "comment_author", "comment_content")
    )
    return "sha1-" + hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _local_name(tag: str) -> str:
    return tag.rpartition("}")[2]
