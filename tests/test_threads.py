"""Thread order and pages, on plain rows."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from app.comments.threads import nest
from app.comments.threads import newest_threads_first
from app.comments.threads import page_count
from app.comments.threads import page_links
from app.comments.threads import page_of
from app.comments.threads import page_slice
from app.comments.threads import picks_in_context
from app.comments.threads import threads_in_time_order

START = datetime(2026, 1, 6, 12, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def thread_order(rows):
    """(id, parent id, time) rows in any order, sorted as the database sorts them."""
    return threads_in_time_order(sorted(rows, key=lambda row: (row[2], row[0])))


def order_of(rows):
    return [(placed.comment_id, placed.depth) for placed in thread_order(rows)]


def test_threads_oldest_first_each_as_a_conversation():
    rows = [
        (1, None, at(0)),
        (2, None, at(1)),
        (3, 1, at(2)),  # reply to 1
        (4, 3, at(3)),  # reply to the reply
        (5, 1, at(4)),  # a second reply to 1
        (6, 2, at(5)),
    ]
    assert order_of(rows) == [(1, 1), (3, 2), (4, 3), (5, 2), (2, 1), (6, 2)]


def test_a_reply_whose_parent_is_not_shown_stands_alone_in_time_order():
    rows = [(1, None, at(0)), (7, 99, at(1)), (2, None, at(2))]
    assert order_of(rows) == [(1, 1), (7, 1), (2, 1)]


def test_order_does_not_depend_on_the_order_rows_arrive_in():
    rows = [(1, None, at(0)), (2, 1, at(1)), (3, None, at(2))]
    assert order_of(rows) == order_of(list(reversed(rows)))


def test_rows_the_database_sorted_give_the_same_order_without_their_times():
    rows = [(1, None, at(0)), (4, 9, at(1)), (2, 1, at(1)), (3, None, at(2)), (5, 2, at(3))]
    in_time_order = [
        (comment_id, parent_id)
        for comment_id, parent_id, _ in sorted(rows, key=lambda row: (row[2], row[0]))
    ]
    assert list(threads_in_time_order(in_time_order)) == list(thread_order(rows))


def test_pages_count_replies_too_and_a_permalink_finds_its_page():
    rows = [(n, None if n % 3 == 0 else n - n % 3, at(n)) for n in range(0, 120)]
    order = thread_order(rows)
    assert page_count(len(order), 50) == 3
    assert len(page_slice(order, 1, 50)) == 50
    assert len(page_slice(order, 3, 50)) == 20
    assert page_of(order, order[75].comment_id, 50) == 2
    assert page_of(order, 12345, 50) is None
    assert page_count(0, 50) == 1


@pytest.mark.parametrize(
    ("number", "pages", "links"),
    [
        (1, 1, [1]),
        (1, 5, [1, 2, 3, 4, 5]),
        (1, 7, [1, 2, 3, None, 7]),
        (1, 100, [1, 2, 3, None, 100]),
        # A gap of one page shows that page: its number takes no more room than "…".
        (4, 100, [1, 2, 3, 4, 5, 6, None, 100]),
        (5, 100, [1, 2, 3, 4, 5, 6, 7, None, 100]),
        (6, 100, [1, None, 4, 5, 6, 7, 8, None, 100]),
        (50, 100, [1, None, 48, 49, 50, 51, 52, None, 100]),
        (97, 100, [1, None, 95, 96, 97, 98, 99, 100]),
        (100, 100, [1, None, 98, 99, 100]),
    ],
)
def test_a_long_discussion_links_its_ends_and_the_pages_around_the_readers(number, pages, links):
    assert page_links(number, pages) == links


def test_a_page_that_starts_mid_thread_starts_deeper():
    rows = [(1, None, at(0)), (2, 1, at(1)), (3, 2, at(2)), (4, None, at(3))]
    order = thread_order(rows)
    second_page = page_slice(order, 2, 2)
    roots = nest(second_page, {placed.comment_id: f"c{placed.comment_id}" for placed in order})
    assert [(node.comment, node.depth) for node in roots] == [("c3", 3), ("c4", 1)]
    first = nest(page_slice(order, 1, 2), {1: "c1", 2: "c2"})
    assert [(node.comment, [child.comment for child in node.children]) for node in first] == [
        ("c1", ["c2"])
    ]


# The reader's other orders


def conversation():
    """Two threads and a late one: 1 (answered by 3, which 4 answers), 2, then 5."""
    return thread_order(
        [
            (1, None, at(0)),
            (2, None, at(1)),
            (3, 1, at(2)),
            (4, 3, at(3)),
            (5, None, at(4)),
        ]
    )


def test_newest_threads_first_keeps_replies_in_order_under_their_comment():
    newest = newest_threads_first(conversation())
    assert [(placed.comment_id, placed.depth) for placed in newest] == [
        (5, 1),
        (2, 1),
        (1, 1),
        (3, 2),
        (4, 3),
    ]


def test_newest_threads_first_of_nothing_is_nothing():
    assert not newest_threads_first(thread_order([]))


def test_picks_in_context_keep_the_comments_they_answer():
    shown = picks_in_context(conversation(), picked_ids=[4, 2])
    assert [(placed.comment_id, placed.depth) for placed in shown] == [
        (1, 1),
        (3, 2),
        (4, 3),
        (2, 1),
    ]


def test_picks_in_context_ignore_ids_not_in_the_order():
    assert not picks_in_context(conversation(), picked_ids=[99])
