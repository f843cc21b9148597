"""One page of an article's comments as one reader sees it."""

from dataclasses import dataclass
from dataclasses import field

from flask import current_app

from app import public
from app.comments.threads import Placed
from app.comments.threads import ThreadNode
from app.comments.threads import nest
from app.comments.threads import page_count
from app.comments.threads import page_of
from app.comments.threads import page_slice
from app.comments.threads import thread_order
from app.models import Article
from app.rendered_pages import rendered_pages


@dataclass
class CommentPage:
    nodes: list[ThreadNode]
    number: int
    pages: int
    total_approved: int
    max_depth: int
    # This reader's comments awaiting moderation that belong on another page: (comment, page).
    pending_elsewhere: list[tuple[object, int]] = field(default_factory=list)

    def can_reply(self, node: ThreadNode) -> bool:
        return not node.comment.awaiting_moderation and node.depth < self.max_depth


def per_page() -> int:
    return current_app.config["COMMENTS_PER_PAGE"]


def max_depth() -> int:
    return current_app.config["COMMENT_THREAD_DEPTH"]


def approved_order(article: Article) -> list[Placed]:
    """Every approved comment in reading order, computed once per article version."""
    kept = rendered_pages()
    key = ("order", article.id, article.comments_version)
    order = kept.get(key)
    if order is None:
        order = thread_order(public.approved_thread_rows(article))
        kept.put(key, order)
    return order


def clamped_page(article: Article, number: int) -> int:
    """A page number that exists: page 99 of a three-page discussion is page 3."""
    return min(max(1, number), page_count(len(approved_order(article)), per_page()))


def comment_page(article: Article, number: int, own_comment_ids: list[int]) -> CommentPage:
    order = approved_order(article)
    pages = page_count(len(order), per_page())
    number = min(max(1, number), pages)
    shown = page_slice(order, number, per_page())
    comments = public.approved_comments_by_id([placed.comment_id for placed in shown])
    nodes = nest(shown, comments)
    page = CommentPage(nodes, number, pages, len(order), max_depth())
    _place_own_pending(page, order, public.own_pending_comments(article, own_comment_ids))
    return page


def page_for_comment(article: Article, comment_id: int) -> int:
    """The page a permalink lands on; a comment not (yet) approved goes with its parent."""
    order = approved_order(article)
    return page_of(order, comment_id, per_page()) or page_count(len(order), per_page())


def _place_own_pending(page: CommentPage, order: list[Placed], pending: list) -> None:
    """Pending replies under their parent; new threads at the end of the last page.

    They do not count towards the page size, so every reader's pages split in the same
    places (and the approved part of a page is the same for everyone).
    """
    on_page = {}

    def index(nodes):
        for node in nodes:
            on_page[node.comment.id] = node
            index(node.children)

    index(page.nodes)
    last = page.pages
    for comment in pending:
        parent_page = page_of(order, comment.parent_id, per_page()) if comment.parent_id else None
        home = parent_page or last
        parent = on_page.get(comment.parent_id)
        if home == page.number and parent is not None:
            node = ThreadNode(comment, parent.depth + 1)
            parent.children.append(node)
        elif home == page.number:
            page.nodes.append(ThreadNode(comment, 1))
        else:
            page.pending_elsewhere.append((comment, home))


CANNOT_REPLY = "You can only reply to a comment that has been published on this article."
TOO_DEEP = "This conversation is as deep as it goes; please reply to an earlier comment."


def reply_target_for(article: Article, parent_id: int | None) -> tuple[object | None, str]:
    """(the comment being answered, or None; a sentence saying why not, or "")."""
    if not parent_id:
        return None, ""
    target = public.reply_target(article, parent_id)
    if target is None:
        return None, CANNOT_REPLY
    depth = next(
        (placed.depth for placed in approved_order(article) if placed.comment_id == target.id), 1
    )
    if depth >= max_depth():
        return None, TOO_DEEP
    return target, ""


def page_for_new_comment(article: Article, parent_id: int | None) -> int | None:
    """Where a new comment will be read: under its parent, or on the last page (None: 1)."""
    order = approved_order(article)
    parent_page = page_of(order, parent_id, per_page()) if parent_id else None
    page = parent_page or page_count(len(order), per_page())
    return page if page > 1 else None
