"""Keeping imported conversations within our depth limit, and free of loops.

Pure functions over (comment id -> parent id) maps, so they are tested without a database.
"""

from collections.abc import Mapping


def reattachments(
    parent_of: Mapping[int, int | None], max_depth: int
) -> tuple[dict[int, int], set[int]]:
    """New parents for replies nested deeper than `max_depth`, and comments to cut loose.

    A reply deeper than the limit is attached to its ancestor one level above the limit, so
    it sits at the deepest level readers see, under the same conversation. A comment in a
    loop of parents (a hostile or broken file) is cut loose to start a thread of its own.
    Depth 1 is a comment that answers no one, as in app/comments/threads.py.
    """
    loops = _loop_members_to_cut(parent_of)
    # Per comment: its depth, and its ancestor (or itself) at the level above the limit.
    placed: dict[int, tuple[int, int | None]] = {}
    moves: dict[int, int] = {}
    for comment_id in parent_of:
        path: list[int] = []
        current = comment_id
        while current not in placed:
            parent = None if current in loops else parent_of.get(current)
            if parent is None or parent not in parent_of:
                placed[current] = (1, current if max_depth == 2 else None)
                break
            path.append(current)
            current = parent
        for child in reversed(path):
            parent_depth, parent_anchor = placed[parent_of[child]]
            depth = parent_depth + 1
            anchor = child if depth == max_depth - 1 else parent_anchor
            placed[child] = (depth, anchor)
            if depth > max_depth and anchor is not None:
                moves[child] = anchor
    return moves, loops


def _loop_members_to_cut(parent_of: Mapping[int, int | None]) -> set[int]:
    """One comment of each loop: its link to a parent is the one to drop."""
    state: dict[int, int] = {}  # 1: on the path being walked, 2: done
    cut: set[int] = set()
    for start in parent_of:
        path = []
        current: int | None = start
        while current is not None and current in parent_of and current not in state:
            state[current] = 1
            path.append(current)
            current = parent_of[current]
        if current is not None and state.get(current) == 1:
            cut.add(current)
        for visited in path:
            state[visited] = 2
    return cut
