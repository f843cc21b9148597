"""Reading a Disqus export (<disqus> with <category>, <thread> and <post> elements).

Threads come first in the file and posts after them; each is turned into a record when it
ends and dropped from the tree, so memory holds one element at a time. Threads are known by
their dsq:id attribute: their <id> element (the site's own identifier) is often empty or
repeated, so it is only another name a --map file may use.
"""

import hashlib
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
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

DISQUS_NAMESPACE = "http://disqus.com"
INTERNALS_NAMESPACE = "http://disqus.com/disqus-internals"
DSQ_ID = f"{{{INTERNALS_NAMESPACE}}}id"


def read_disqus(stream: BinaryIO) -> Iterator[Record]:
    depth = 0
    root: Element | None = None
    origin_sent = False
    # Safe on untrusted files with the expat Python ships (2.4+): it limits entity
    # expansion (billion laughs), and ElementTree never fetches external entities.
    for event, element in iterparse(stream, events=("start", "end")):  # noqa: S314
        if event == "start":
            depth += 1
            if depth == 1:
                root = element
            continue
        if depth == 2 and root is not None:
            name = _local_name(element.tag)
            if name in {"category", "thread", "post"} and not origin_sent:
                forum = _text(element, "forum")
                yield Origin(bounded_id("disqus:" + forum.lower() if forum else "disqus"))
                origin_sent = True
            if name == "thread":
                yield _thread(element)
            elif name == "post":
                yield _post(element)
            # The root keeps its children: without this every finished post stays behind.
            root.remove(element)
        depth -= 1


def _thread(element: Element) -> SourceArticle:
    identifier = _text(element, "id")
    link = _text(element, "link")
    key = element.get(DSQ_ID) or identifier or link
    return SourceArticle(
        key=bounded_id(key),
        title=_text(element, "title"),
        link=link or None,
        other_names=tuple(name for name in (identifier, element.get(DSQ_ID)) if name),
        published_at=_date(_text(element, "createdAt")),
        comment_mode=CommentMode.CLOSED if _flag(element, "isClosed") else None,
        # Disqus holds no story text: a thread places comments but cannot make an article.
        body=None,
    )


def _post(element: Element) -> SourceComment:
    thread = element.find(f"{{{DISQUS_NAMESPACE}}}thread")
    parent = element.find(f"{{{DISQUS_NAMESPACE}}}parent")
    author = element.find(f"{{{DISQUS_NAMESPACE}}}author")
    message = _text(element, "message")
    created = _text(element, "createdAt")
    post_id = element.get(DSQ_ID) or _text(element, "id") or _content_id(created, message)
    name = email = ""
    if author is not None:
        name = _text(author, "name") or _text(author, "username")
        # Often missing (guests, and exports by forum moderators): stored empty.
        email = _text(author, "email")
    return SourceComment(
        article_key=bounded_id(thread.get(DSQ_ID, "")) if thread is not None else "",
        source_id=bounded_id(post_id),
        parent_source_id=bounded_id(parent.get(DSQ_ID))
        if parent is not None and parent.get(DSQ_ID)
        else None,
        name=name,
        email=email,
        website="",
        ip_address=_text(element, "ipAddress"),
        body=message,
        created_at=_date(created),
        status=_status(element),
    )


def _status(element: Element) -> CommentStatus:
    # Spam first: Disqus marks spam deleted too, and spam must never be published.
    if _flag(element, "isSpam"):
        return CommentStatus.SPAM
    if _flag(element, "isDeleted"):
        return CommentStatus.TRASH
    if _text(element, "isApproved").lower() == "false":
        return CommentStatus.PENDING
    return CommentStatus.APPROVED


def _date(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _flag(element: Element, name: str) -> bool:
    return _text(element, name).lower() == "true"


def _text(element: Element, name: str) -> str:
    child = element.find(f"{{{DISQUS_NAMESPACE}}}{name}")
    return (child.text or "").strip() if child is not None else ""


def _content_id(created: str, message: str) -> str:
    text = f"{created}\x00{message}"
    return "sha1-" + hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _local_name(tag: str) -> str:
    return tag.rpartition("}")[2]
