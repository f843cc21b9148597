"""Article pages for readers, rendered once per article version and filled in per reader.

The part of an article page that is the same for every reader (the story and one page of
approved comments) is rendered once and kept, keyed by the article's comments_version. Every
moderation action, edit, erasure and re-import bumps that version in the database, so every
worker on every machine sees a change at once, and no shared cache is needed for correctness.

Three slots in the kept page are filled per request: the comment form (with this reader's
CSRF token and form stamp), flash messages, and the staff links of a logged-in moderator. A
reader whose own comments await moderation, who is replying, or whose details are remembered
gets the page rendered in full, as before: those pages differ from reader to reader.

The slot markers are HTML comments; no reader can put one in a page, because the sanitiser
escapes "<!" in comments and strips HTML comments from articles.
"""

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from collections.abc import Hashable
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from flask import current_app
from flask import render_template
from flask import session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.comments.forms import CommentForm
from app.comments.guard import new_form_stamp
from app.comments.listing import comment_page
from app.extensions import db
from app.models import Article
from app.public import ArticleVersion

# The whole article or just its version: a kept page needs only the id, slug and version.
KeptArticle = Article | ArticleVersion

STAFF_NAV_SLOT = "<!--reader:staff-nav-->"
FLASHES_SLOT = "<!--reader:flashes-->"
FORM_SLOT = "<!--reader:form-->"
SLOTS = (STAFF_NAV_SLOT, FLASHES_SLOT, FORM_SLOT)
SLOT_MARKER = re.compile("(" + "|".join(map(re.escape, SLOTS)) + ")")
# Stand-ins for the two per-reader values inside a kept copy of the blank form.
CSRF_MARK = "\x00csrf\x00"
STAMP_MARK = "\x00stamp\x00"


class RenderedPages:
    """A small LRU, one per worker process (threads share it): rendered HTML, thread orders."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._pages: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: Any) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.capacity:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def kept_pages() -> RenderedPages:
    return current_app.extensions["rendered_pages"]


def register(app) -> None:
    app.extensions["rendered_pages"] = RenderedPages(app.config["PAGE_CACHE_SIZE"])


def page_for_any_reader(version: KeptArticle, page_number: int, closed: str | None) -> bytes:
    """The article page with this reader's parts filled in, from the kept copy if there is one."""
    pages = kept_pages()
    shell_key = ("shell", version.id, version.comments_version, page_number, closed)
    shell = pages.get(shell_key)
    if shell is None:
        html = _render_shell(db.session.get_one(Article, version.id), page_number, closed)
        shell = KeptShell.around_slots(html)
        pages.put(shell_key, shell)
    return shell.filled(
        {
            STAFF_NAV_SLOT: _staff_nav,
            FLASHES_SLOT: _flashes,
            FORM_SLOT: lambda: _blank_form(version, page_number, closed),
        }
    )


class KeptShell:
    """A rendered page kept as encoded pieces between its slots.

    Filling it joins bytes once; replacing three slots in a 60 KB string and encoding the
    result copied the whole page four times on every request.
    """

    def __init__(self, pieces: list[bytes | str]):
        # Encoded page text and, between those pieces, the slot markers still to fill.
        self.pieces = pieces

    @classmethod
    def around_slots(cls, html: str) -> "KeptShell":
        parts = SLOT_MARKER.split(html)
        return cls([part if index % 2 else part.encode() for index, part in enumerate(parts)])

    def filled(self, fillers: Mapping[str, Callable[[], str]]) -> bytes:
        return b"".join(
            piece if isinstance(piece, bytes) else fillers[piece]().encode()
            for piece in self.pieces
        )


def _render_shell(article: Article, page_number: int, closed: str | None) -> str:
    comments = comment_page(article, page_number, own_comment_ids=[])
    return render_template(
        "articles/show.html",
        article=article,
        comments=comments,
        approved_count=comments.total_approved,
        closed_reason=closed,
        reader_slots=True,
    )


def _blank_form(article: KeptArticle, page_number: int, closed: str | None) -> str:
    """The empty comment form; only its token and stamp differ between readers."""
    pages = kept_pages()
    key = ("form", article.slug, page_number, closed)
    skeleton = pages.get(key)
    if skeleton is None:
        skeleton = _render_form_skeleton(article, page_number, closed)
        pages.put(key, skeleton)
    return skeleton.replace(CSRF_MARK, generate_csrf(), 1).replace(STAMP_MARK, new_form_stamp(), 1)


def _render_form_skeleton(article: KeptArticle, page_number: int, closed: str | None) -> str:
    form = CommentForm(formdata=None)
    token, stamp = generate_csrf(), new_form_stamp()
    form.stamp.data = stamp
    html = render_template(
        "comments/_form.html",
        form=form,
        article=article,
        comments=SimpleNamespace(number=page_number),
        closed_reason=closed,
        replying_to=None,
        form_error="",
    )
    return html.replace(token, CSRF_MARK).replace(stamp, STAMP_MARK)


def _flashes() -> str:
    if "_flashes" not in session:
        return ""
    return render_template("_flashes.html")


def _staff_nav() -> str:
    return render_template("_staff_nav.html") if current_user.is_authenticated else ""
