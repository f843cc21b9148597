"""One page of an article's comments as one reader sees it, in the order they chose."""

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field

from flask import current_app
from flask import url_for

from app import public
from app.choices import SlugChoice
from app.comments.threads import Order
from app.comments.threads import ThreadNode
from app.comments.threads import nest
from app.comments.threads import newest_threads_first
from app.comments.threads import page_count
from app.comments.threads import page_links
from app.comments.threads import page_of
from app.comments.threads import page_slice
from app.comments.threads import picks_in_context
from app.comments.threads import threads_in_time_order
from app.models import Article
from app.rendered_pages import rendered_pages


class DiscussionOrder(SlugChoice):
    """The reader's order: `slug` is the value of ?order= ("" for the default, which the
    address leaves out)."""

    OLDEST = ("", "Oldest first")
    NEWEST = ("newest", "Newest first")
    PICKS = ("picks", "Editors’ picks")


def discussion_url(
    slug: str,
    page: int = 1,
    order: DiscussionOrder = DiscussionOrder.OLDEST,
    anchor: str | None = None,
    **extra,
) -> str:
    """A page of the discussion in its one canonical form (`?order=newest&page=2`): the form
    whose public copy is kept (app/public_copies/policy.py), so every link the site prints
    points at a kept copy. Neither the default order nor page 1 is written out."""
    return url_for(
        "articles.show",
        slug=slug,
        **extra,
        order=order.slug or None,
        page=page if page > 1 else None,
        _anchor=anchor,
    )


@dataclass
class CommentPage:
    nodes: list[ThreadNode]
    number: int
    pages: int
    total_approved: int
    max_depth: int
    order: DiscussionOrder = DiscussionOrder.OLDEST
    # The Editors' picks shown above the discussion, newest pick first.
    picks: list = field(default_factory=list)
    # A moderator's page: Pick and Unpick beside each comment.
    staff_tools: bool = False
    # This reader's comments awaiting moderation that belong on another page: (comment, page).
    pending_elsewhere: list[tuple[object, int]] = field(default_factory=list)
    # A kept page: marks where a reader's own parts go (app/articles/page_cache.py).
    reader_slots: bool = False

    def can_reply(self, node: ThreadNode) -> bool:
        return not node.comment.awaiting_moderation and node.depth < self.max_depth

    @property
    def page_links(self) -> list[int | None]:
        """The pages the pager links (None: some skipped)."""
        return page_links(self.number, self.pages)

    @property
    def new_threads_page(self) -> int:
        """Where new threads are read: on the last page, or the first when the newest come
        first."""
        return 1 if self.order is DiscussionOrder.NEWEST else self.pages


def per_page() -> int:
    return current_app.config["COMMENTS_PER_PAGE"]


def max_depth() -> int:
    return current_app.config["COMMENT_THREAD_DEPTH"]


@dataclass(frozen=True)
class Orders:
    """Every approved comment in each reading order, and the picks, newest pick first."""

    by_order: dict[DiscussionOrder, Order]
    picked_newest_first: list[int]

    @property
    def oldest(self) -> Order:
        return self.by_order[DiscussionOrder.OLDEST]


def kept_orders(article: Article) -> Orders:
    """Computed once per article version (a pick or unpick bumps it, like any change)."""
    kept = rendered_pages()
    key = ("order", article.id, article.comments_version)
    orders = kept.get(key)
    if orders is None:
        oldest = threads_in_time_order(public.approved_thread_rows(article))
        picked_ids = public.picked_comment_ids(article)
        orders = Orders(
            {
                DiscussionOrder.OLDEST: oldest,
                DiscussionOrder.NEWEST: newest_threads_first(oldest),
                DiscussionOrder.PICKS: picks_in_context(oldest, picked_ids),
            },
            picked_ids,
        )
        kept.put(key, orders)
    return orders


def approved_order(article: Article) -> Order:
    """Every approved comment in the default reading order (oldest thread first)."""
    return kept_orders(article).oldest


def clamped_page(
    article: Article, number: int, order: DiscussionOrder = DiscussionOrder.OLDEST
) -> int:
    """A page number that exists: page 99 of a three-page discussion is page 3."""
    placed = kept_orders(article).by_order[order]
    return min(max(1, number), page_count(len(placed), per_page()))


def page_frame(
    article: Article, number: int, order: DiscussionOrder = DiscussionOrder.OLDEST
) -> CommentPage:
    """A page of the discussion without its comments: which one it is, of how many."""
    orders = kept_orders(article)
    pages = page_count(len(orders.by_order[order]), per_page())
    number = min(max(1, number), pages)
    return CommentPage([], number, pages, len(orders.oldest), max_depth(), order=order)


def comment_page(
    article: Article,
    number: int,
    own_comment_ids: list[int],
    order: DiscussionOrder = DiscussionOrder.OLDEST,
) -> CommentPage:
    page = page_frame(article, number, order)
    orders = kept_orders(article)
    placed = orders.by_order[order]
    shown = page_slice(placed, page.number, per_page())
    pick_ids = orders.picked_newest_first[: current_app.config["EDITORS_PICKS_SHOWN"]]
    # The page's comments and the picks above it, in one statement.
    comments = public.approved_comments_by_id([each.comment_id for each in shown] + pick_ids)
    page.nodes = nest(shown, comments)
    page.picks = [comments[comment_id] for comment_id in pick_ids if comment_id in comments]
    _place_own_pending(page, placed, public.own_pending_comments(article, own_comment_ids))
    return page


def page_for_comment(article: Article, comment_id: int) -> int:
    """The page a permalink lands on; a comment not (yet) approved goes with its parent."""
    order = approved_order(article)
    return page_of(order, comment_id, per_page()) or page_count(len(order), per_page())


@dataclass
class PendingPlaces:
    """Where a reader's own comments awaiting moderation go on one page of the discussion."""

    # An approved comment on this page -> this reader's replies to it, after those it has.
    under: dict[int, list[ThreadNode]] = field(default_factory=dict)
    # New threads, and replies whose parent is not on the page: after the page's threads.
    at_end: list[ThreadNode] = field(default_factory=list)
    # Those that belong on another page: (comment, its page), for a pointer.
    elsewhere: list[tuple[object, int]] = field(default_factory=list)


def pending_places(
    page: CommentPage, placed: Order, depth_on_page: Mapping[int, int], pending: list
) -> PendingPlaces:
    """Pending replies under their parent; new threads on the page where new threads are read.

    They do not count towards the page size, so every reader's pages split in the same
    places (and the approved part of a page is the same for everyone). `placed` is the
    page's order; `depth_on_page` the depth of each approved comment on this page. A full
    render and a kept page (app/articles/own_pending_parts.py) both place them here.
    """
    places = PendingPlaces()
    for comment in pending:
        parent_page = page_of(placed, comment.parent_id, per_page()) if comment.parent_id else None
        home = parent_page or page.new_threads_page
        if home != page.number:
            places.elsewhere.append((comment, home))
        elif comment.parent_id in depth_on_page:
            node = ThreadNode(comment, depth_on_page[comment.parent_id] + 1)
            places.under.setdefault(comment.parent_id, []).append(node)
        else:
            places.at_end.append(ThreadNode(comment, 1))
    return places


def _place_own_pending(page: CommentPage, placed: Order, pending: list) -> None:
    on_page = {}

    def index(nodes):
        for node in nodes:
            on_page[node.comment.id] = node
            index(node.children)

    index(page.nodes)
    depth_on_page = {comment_id: node.depth for comment_id, node in on_page.items()}
    places = pending_places(page, placed, depth_on_page, pending)
    for parent_id, replies in places.under.items():
        on_page[parent_id].children.extend(replies)
    page.nodes.extend(places.at_end)
    page.pending_elsewhere.extend(places.elsewhere)


CANNOT_REPLY = "You can only reply to a comment that has been published on this article."
TOO_DEEP = "This conversation is as deep as it goes; please reply to an earlier comment."


def reply_target_for(article: Article, parent_id: int | None) -> tuple[object | None, str]:
    """(the comment being answered, or None; a sentence saying why not, or "")."""
    if not parent_id:
        return None, ""
    target = public.reply_target(article, parent_id)
    if target is None:
        return None, CANNOT_REPLY
    order = approved_order(article)
    position = order.position_of(target.id)
    depth = 1 if position is None else order[position].depth
    if depth >= max_depth():
        return None, TOO_DEEP
    return target, ""


def page_for_new_comment(article: Article, parent_id: int | None) -> int | None:
    """Where a new comment will be read: under its parent, or on the last page (None: 1)."""
    order = approved_order(article)
    parent_page = page_of(order, parent_id, per_page()) if parent_id else None
    page = parent_page or page_count(len(order), per_page())
    return page if page > 1 else None
