"""Threads as readers read them: oldest thread first, each thread as a conversation; or
newest thread first; or only the Editors' picks with the comments they answer.

Pure functions over (id, parent id, time) rows, so the order is tested without a database
and can be cached by article version. A page holds COMMENTS_PER_PAGE comments in all,
replies included, so even a 5,000-comment article renders a bounded page.
"""

from collections import defaultdict
from collections.abc import Collection
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime


# Slots: the order of a 5,000-comment article is 5,000 of these, kept in every worker.
@dataclass(frozen=True, slots=True)
class Placed:
    comment_id: int
    parent_id: int | None
    depth: int  # 1 for a comment that answers no one


@dataclass
class ThreadNode:
    """A comment on the page with the replies shown under it."""

    comment: object  # a PublicComment
    depth: int
    children: list["ThreadNode"] = field(default_factory=list)


def thread_order(rows: Iterable[tuple[int, int | None, datetime]]) -> list[Placed]:
    """Depth-first through each thread, threads and replies oldest first.

    A reply whose parent is not among the rows (not approved, or gone) starts a thread of
    its own at the place its time puts it.
    """
    ordered = sorted(rows, key=lambda row: (row[2], row[0]))
    present = {comment_id for comment_id, _, _ in ordered}
    children: dict[int, list[int]] = defaultdict(list)
    parent_of: dict[int, int | None] = {}
    roots = []
    for comment_id, parent_id, _ in ordered:
        if parent_id in present and parent_id != comment_id:
            children[parent_id].append(comment_id)
            parent_of[comment_id] = parent_id
        else:
            roots.append(comment_id)
            parent_of[comment_id] = None
    placed: list[Placed] = []
    for root in roots:
        stack = [(root, 1)]
        while stack:
            comment_id, depth = stack.pop()
            placed.append(Placed(comment_id, parent_of[comment_id], depth))
            for child in reversed(children.get(comment_id, [])):
                stack.append((child, depth + 1))
    return placed


def newest_threads_first(order: list[Placed]) -> list[Placed]:
    """The threads of an oldest-first order, the newest begun first; replies stay in order
    under their comment."""
    threads: list[list[Placed]] = []
    for placed in order:
        if placed.depth == 1 or not threads:
            threads.append([])
        threads[-1].append(placed)
    return [placed for thread in reversed(threads) for placed in thread]


def picks_in_context(order: list[Placed], picked_ids: Collection[int]) -> list[Placed]:
    """Only the picked comments, each under the comments it answers (its context), in the
    order's places."""
    by_id = {placed.comment_id: placed for placed in order}
    shown: set[int] = set()
    for comment_id in picked_ids:
        while comment_id in by_id and comment_id not in shown:
            shown.add(comment_id)
            comment_id = by_id[comment_id].parent_id
    return [placed for placed in order if placed.comment_id in shown]


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def page_slice(order: list[Placed], number: int, per_page: int) -> list[Placed]:
    start = (number - 1) * per_page
    return order[start : start + per_page]


def page_of(order: list[Placed], comment_id: int, per_page: int) -> int | None:
    for position, placed in enumerate(order):
        if placed.comment_id == comment_id:
            return position // per_page + 1
    return None


def nest(page: list[Placed], comments: dict[int, object]) -> list[ThreadNode]:
    """The page's comments as nested nodes; a page that starts mid-thread starts deeper."""
    nodes: dict[int, ThreadNode] = {}
    roots: list[ThreadNode] = []
    for placed in page:
        comment = comments.get(placed.comment_id)
        if comment is None:
            continue
        node = ThreadNode(comment, placed.depth)
        nodes[placed.comment_id] = node
        parent = nodes.get(placed.parent_id) if placed.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots
