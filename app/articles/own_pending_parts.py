"""A reader's own comments awaiting moderation, drawn for the slots of a kept article page.

The kept page (page_cache.py) marks every place one can go: under each approved comment
(after its replies, or as its first), after the page's threads (or as its only ones), and
below the heading for pointers to another page. Where each goes is decided by
app/comments/listing.py's pending_places, as in a full render, and each part is drawn by the
macro the full render draws it with, so the reader gets the same bytes either way.
"""

from collections.abc import Callable
from collections.abc import Sequence
from functools import partial

from flask import current_app

from app.comments.listing import CommentPage
from app.comments.listing import DiscussionOrder
from app.comments.listing import kept_orders
from app.comments.listing import page_frame
from app.comments.listing import pending_places
from app.comments.listing import per_page
from app.comments.threads import Order
from app.comments.threads import ThreadNode
from app.models import Article
from app.public import ArticleVersion

PENDING_ELSEWHERE_SLOT = "<!--reader:pending-elsewhere-->"
NEW_THREADS_SLOT = "<!--reader:new-threads-->"
FIRST_THREADS_SLOT = "<!--reader:first-threads-->"


def replies_slot(parent_id: int) -> str:
    """Under a comment that has replies, after them."""
    return f"<!--reader:replies-{parent_id}-->"


def first_replies_slot(parent_id: int) -> str:
    """Under a comment that has no replies yet."""
    return f"<!--reader:first-replies-{parent_id}-->"


def own_pending_parts(
    article: Article | ArticleVersion,
    page_number: int,
    order: DiscussionOrder,
    pending: Sequence,
) -> dict[str, Callable[[], str]]:
    """What draws each slot's part for this reader; a part is drawn only if its slot is in
    the page (a reply has two possible slots under its parent, and a new thread two)."""
    page = page_frame(article, page_number, order)
    macros = current_app.jinja_env.get_template("_macros.html").module
    # Not empty even with nothing of the reader's: a page without threads may say it has no
    # picks, which the reader's own new thread would replace.
    parts = {FIRST_THREADS_SLOT: partial(macros.comment_list, [], page, article)}
    if not pending:
        return parts
    placed = kept_orders(article).by_order[order]
    places = pending_places(page, placed, _parents_depth_on_page(placed, page, pending), pending)
    if places.elsewhere:
        parts[PENDING_ELSEWHERE_SLOT] = partial(
            macros.pending_elsewhere, places.elsewhere, page, article
        )
    if places.at_end:
        parts[NEW_THREADS_SLOT] = partial(_each, macros, places.at_end, page, article)
        parts[FIRST_THREADS_SLOT] = partial(macros.comment_list, places.at_end, page, article)
    for parent_id, replies in places.under.items():
        parts[replies_slot(parent_id)] = partial(_each, macros, replies, page, article)
        parts[first_replies_slot(parent_id)] = partial(macros.replies, replies, page, article)
    return parts


def _parents_depth_on_page(placed: Order, page: CommentPage, pending: Sequence) -> dict[int, int]:
    """The depth of each comment on this page that one of the reader's comments answers.

    Only those: a full page's depths meant a Placed object for each of its comments, on every
    page the reader reads while they wait."""
    first = (page.number - 1) * per_page()
    depths = {}
    for comment in pending:
        position = placed.position_of(comment.parent_id) if comment.parent_id else None
        if position is not None and first <= position < first + per_page():
            depths[comment.parent_id] = placed[position].depth
    return depths


def _each(macros, nodes: list[ThreadNode], page: CommentPage, article) -> str:
    """The comments one after another, as the macros' loops join them inside a list."""
    return "".join(macros.comment(node, page, article) for node in nodes)
