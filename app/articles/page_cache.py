"""Article pages rendered once per article version, with the parts a cookie can change.

The article page is the same for every reader but in two places: the flash messages of a
reader who just did something, and the staff links of a logged-in moderator. The rest (the
story, one page of approved comments, the blank comment form) is rendered once and kept,
keyed by the article's comments_version. Every moderation action, edit, erasure and
re-import bumps that version in the database, so every worker on every machine sees a change.

A logged-in moderator's page is a shell of its own (Pick and Unpick beside each comment),
with a third slot for their form token; readers' shells never hold those buttons. Each order
of the discussion (?order=newest) is a shell of its own too.

A reader's own comments awaiting moderation have slots too: under each approved comment,
after the page's threads, and below the heading for pointers to another page. Only those
comments are drawn for the reader and put in (own_pending_parts.py).

Readers without our cookies get the page with every slot empty, kept as a public copy in
front of Flask (app/public_copies/). A reader who is replying, or whose details are
remembered, gets the page rendered in full: the form differs from reader to reader.

The slot markers are HTML comments; no reader can put one in a page, because the sanitiser
escapes "<!" in comments and strips HTML comments from articles.
"""

import re
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence

from flask import render_template
from flask import session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.articles.own_pending_parts import own_pending_parts
from app.comments.forms import CommentForm
from app.comments.listing import DiscussionOrder
from app.comments.listing import comment_page
from app.extensions import db
from app.models import Article
from app.public import ArticleVersion
from app.rendered_pages import rendered_pages

# The whole article or just its version: a kept page needs only the id, slug and version.
KeptArticle = Article | ArticleVersion

STAFF_NAV_SLOT = "<!--reader:staff-nav-->"
FLASHES_SLOT = "<!--reader:flashes-->"
# Only in a moderator's page (the Pick and Unpick buttons): their session's form token.
STAFF_CSRF_SLOT = "<!--reader:staff-csrf-->"
# Every slot, these and own_pending_parts.py's (some of which carry a comment's id).
SLOT_MARKER = re.compile(r"(<!--reader:[a-z0-9-]+-->)")


def page_for_any_reader(
    version: KeptArticle,
    page_number: int,
    closed: str | None,
    order: DiscussionOrder = DiscussionOrder.OLDEST,
    own_pending: Sequence = (),
) -> bytes:
    """The article page with this reader's parts filled in, from the kept copy if there is one.

    A moderator's page is another shell, with Pick and Unpick beside each comment; readers'
    shells never hold those buttons, and so neither does a public copy.
    """
    pages = rendered_pages()
    staff_tools = current_user.is_authenticated
    shell_key = (
        "shell",
        version.id,
        version.comments_version,
        page_number,
        closed,
        order,
        staff_tools,
    )
    shell = pages.get(shell_key)
    if shell is None:
        article = db.session.get_one(Article, version.id)
        html = _render_shell(article, page_number, closed, order, staff_tools)
        shell = KeptShell.around_slots(html)
        pages.put(shell_key, shell)
    fillers = own_pending_parts(version, page_number, order, own_pending)
    fillers.update(
        {STAFF_NAV_SLOT: _staff_nav, FLASHES_SLOT: _flashes, STAFF_CSRF_SLOT: generate_csrf}
    )
    return shell.filled(fillers)


class KeptShell:
    """A rendered page kept as bytes with every slot empty, and where each slot stood in it.

    A reader with nothing for any slot (every new reader) gets those very bytes, and so does
    the public copy made from their answer: a page is kept once in a worker, not once as the
    shell's pieces and again as the copy's body. A reader who fills slots gets the bytes
    between them joined once with what they fill; a page has a hundred slots or so and a
    reader fills a few, so only those are visited.
    """

    def __init__(self, page: bytes, places: dict[str, list[tuple[int, int]]]):
        self.page = page
        # Each slot's places: (its rank among all slots in the page, its offset in the bytes),
        # the rank keeping slots that stood side by side in their order.
        self.places = places

    @classmethod
    def around_slots(cls, html: str) -> "KeptShell":
        parts = SLOT_MARKER.split(html)
        pieces = [part.encode() for part in parts[::2]]
        places: dict[str, list[tuple[int, int]]] = {}
        offset = 0
        for rank, (piece, slot) in enumerate(zip(pieces, parts[1::2], strict=False)):
            offset += len(piece)
            places.setdefault(slot, []).append((rank, offset))
        return cls(b"".join(pieces), places)

    def filled(self, fillers: Mapping[str, Callable[[], str]]) -> bytes:
        """Each slot filled by its filler; a slot this reader has nothing for stays empty."""
        parts = []
        for slot, filler in fillers.items():
            for place in self.places.get(slot, ()):
                part = filler().encode()
                if part:
                    parts.append((place, part))
        if not parts:
            return self.page
        parts.sort()
        page = memoryview(self.page)
        joined: list[bytes | memoryview] = []
        start = 0
        for (_, offset), part in parts:
            joined += (page[start:offset], part)
            start = offset
        joined.append(page[start:])
        return b"".join(joined)


def _render_shell(
    article: Article,
    page_number: int,
    closed: str | None,
    order: DiscussionOrder,
    staff_tools: bool,
) -> str:
    comments = comment_page(article, page_number, own_comment_ids=[], order=order)
    comments.staff_tools = staff_tools
    comments.reader_slots = True
    return render_template(
        "articles/show.html",
        article=article,
        comments=comments,
        approved_count=comments.total_approved,
        closed_reason=closed,
        # The blank form: no token and no stamp, so it is the same for every reader.
        form=CommentForm(formdata=None),
        form_error="",
        replying_to=None,
        reader_slots=True,
        # The marker is our own constant, not anybody's input.
        staff_csrf=Markup(STAFF_CSRF_SLOT) if staff_tools else "",  # noqa: S704
    )


def _flashes() -> str:
    if "_flashes" not in session:
        return ""
    return render_template("_flashes.html")


def _staff_nav() -> str:
    return render_template("_staff_nav.html") if current_user.is_authenticated else ""
