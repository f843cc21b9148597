"""The reader's order: oldest first, newest first, or only the Editors' picks in context."""

from datetime import timedelta

import pytest

from app.comments.own import remember_own_comment
from app.models import CommentStatus
from app.models import utcnow
from app.public_copies import public_copies_of
from app.public_copies.policy import is_kept_query
from tests.conftest import ModeratorSession
from tests.conftest import add_test_moderator
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import elements_with_class
from tests.helpers import parse_html
from tests.helpers import text_of

APPROVED = CommentStatus.APPROVED
PER_PAGE = 4


@pytest.fixture
def site(make_app):
    """Small pages, so that every order has several."""
    return make_app(COMMENTS_PER_PAGE=PER_PAGE)


@pytest.fixture
def discussion(site):
    """Six threads a minute apart ("Thread 0" oldest); thread 1 has two replies, the second
    of which is picked, and thread 4 is picked."""
    article = publish_test_article(site)
    start = utcnow() - timedelta(days=1)
    ids = {}
    for number in range(6):
        ids[f"Thread {number}"] = store_comment(
            site,
            article,
            status=APPROVED,
            body=f"Thread {number}",
            created_at=start + timedelta(minutes=10 * number),
        )
    for number in range(2):
        ids[f"Reply {number}"] = store_comment(
            site,
            article,
            status=APPROVED,
            body=f"Reply {number}",
            parent_id=ids["Thread 1"],
            created_at=start + timedelta(minutes=100 + number),
        )
    add_test_moderator(site)
    desk = ModeratorSession(site.test_client())
    desk.log_in()
    desk.act(ids["Reply 1"], "pick")
    desk.act(ids["Thread 4"], "pick")
    return article, ids


def texts(html: str) -> list[str]:
    """The comments of the thread on this page, in order (not the picks above it)."""
    return [
        text_of(element.find("article/div"))
        for element in elements_with_class(parse_html(html), "comment")
    ]


def get(site, path: str) -> str:
    response = site.test_client().get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_oldest_first_is_the_default(site, discussion):
    article, _ = discussion
    first = get(site, article_url(article))
    assert texts(first) == ["Thread 0", "Thread 1", "Reply 0", "Reply 1"]
    assert texts(get(site, f"{article_url(article)}?page=2")) == [
        "Thread 2",
        "Thread 3",
        "Thread 4",
        "Thread 5",
    ]


def test_newest_first_orders_threads_by_their_start_with_replies_in_order(site, discussion):
    article, _ = discussion
    first = get(site, f"{article_url(article)}?order=newest")
    assert texts(first) == ["Thread 5", "Thread 4", "Thread 3", "Thread 2"]
    second = get(site, f"{article_url(article)}?order=newest&page=2")
    assert texts(second) == ["Thread 1", "Reply 0", "Reply 1", "Thread 0"]


def test_picks_shows_only_the_picks_with_the_comments_they_answer(site, discussion):
    article, _ = discussion
    html = get(site, f"{article_url(article)}?order=picks")
    assert texts(html) == ["Thread 1", "Reply 1", "Thread 4"]


def test_the_picks_order_without_picks_says_so(site):
    article = publish_test_article(site)
    store_comment(site, article, status=APPROVED, body="Unpicked")
    html = get(site, f"{article_url(article)}?order=picks")
    assert texts(html) == []
    assert "No comment has been chosen as an Editors’ pick yet." in html


@pytest.mark.parametrize("query", ["", "?order=newest", "?order=picks", "?order=newest&page=2"])
def test_the_count_is_the_same_in_every_order(site, discussion, query):
    article, _ = discussion
    assert "8 comments on" in get(site, f"{article_url(article)}{query}")


def test_each_order_is_a_plain_link_the_chosen_one_marked(site, discussion):
    article, _ = discussion
    html = get(site, f"{article_url(article)}?order=newest&page=2")
    [nav] = elements_with_class(parse_html(html), "comment-orders")
    links = [(text_of(link), link.get("href"), link.get("aria-current")) for link in nav.iter("a")]
    assert links == [
        ("Oldest first", f"{article_url(article)}#comments", None),
        ("Newest first", f"{article_url(article)}?order=newest#comments", "true"),
        ("Editors’ picks", f"{article_url(article)}?order=picks#comments", None),
    ]


def test_page_links_keep_the_order_in_the_canonical_form(site, discussion):
    article, _ = discussion
    html = get(site, f"{article_url(article)}?order=newest")
    [top, _bottom] = elements_with_class(parse_html(html), "comment-pages")
    hrefs = [link.get("href") for link in top.iter("a")]
    assert f"{article_url(article)}?order=newest&page=2#comments" in hrefs
    for href in hrefs:
        assert is_kept_query(href.split("#")[0].partition("?")[2]), href


def test_comment_links_keep_the_order_and_page(site, discussion):
    article, ids = discussion
    html = get(site, f"{article_url(article)}?order=newest&page=2")
    thread_0 = ids["Thread 0"]
    assert f'href="{article_url(article)}?order=newest&amp;page=2#comment-{thread_0}"' in html


def test_the_pointer_to_a_readers_own_pending_comment_keeps_the_order(site, discussion):
    article, _ = discussion
    mine = store_comment(site, article, body="Mine, awaiting moderation")
    reader = site.test_client()
    with reader.session_transaction() as session:
        remember_own_comment(session, mine)
    html = reader.get(f"{article_url(article)}?order=newest&page=2").get_data(as_text=True)
    # Newest first, a new thread is read on the first page (oldest first, on the last).
    assert f'href="{article_url(article)}?order=newest#comment-{mine}">see it on page 1' in html
    first = reader.get(f"{article_url(article)}?order=newest").get_data(as_text=True)
    assert "Mine, awaiting moderation" in first


def test_a_permalink_finds_its_page_in_the_default_order(site, discussion):
    article, ids = discussion
    response = site.test_client().get(f"/comments/{ids['Thread 5']}")
    assert response.status_code == 301
    assert response.headers["Location"] == (
        f"{article_url(article)}?page=2#comment-{ids['Thread 5']}"
    )


def test_a_page_past_the_end_of_an_order_shows_its_last_page(site, discussion):
    article, _ = discussion
    html = get(site, f"{article_url(article)}?order=newest&page=9")
    assert texts(html) == ["Thread 1", "Reply 0", "Reply 1", "Thread 0"]


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("", True),
        ("page=2", True),
        ("order=newest", True),
        ("order=picks", True),
        ("order=newest&page=2", True),
        ("order=picks&page=12", True),
        ("page=2&order=newest", False),
        ("order=oldest", False),
        ("order=newest&", False),
        ("order=newest&page=0", False),
        ("order=everything", False),
    ],
)
def test_only_the_canonical_addresses_of_each_order_are_kept(query, kept):
    assert is_kept_query(query) is kept


@pytest.mark.parametrize("query", ["?order=newest", "?order=picks", "?order=newest&page=2"])
def test_each_order_is_one_public_copy(site, discussion, query, monkeypatch):
    article, _ = discussion
    path = f"{article_url(article)}{query}"
    first = site.test_client().get(path)
    second = site.test_client().get(path)
    assert first.get_data() == second.get_data()
    for response in (first, second):
        assert response.headers["Cache-Control"].startswith("public")
        assert "Set-Cookie" not in response.headers

    def no_view_may_run(*args, **kwargs):
        raise AssertionError("the view ran")

    monkeypatch.setitem(site.view_functions, "articles.show", no_view_may_run)
    assert site.test_client().get(path).get_data() == first.get_data()


def test_the_orders_are_kept_apart(site, discussion):
    article, _ = discussion
    oldest = get(site, article_url(article))
    newest = get(site, f"{article_url(article)}?order=newest")
    assert oldest != newest
    assert len(public_copies_of(site)._copies) == 2


def test_a_reader_replying_keeps_the_order(site, discussion):
    article, ids = discussion
    html = get(site, f"{article_url(article)}?order=newest&replytocom={ids['Thread 5']}")
    assert texts(html)[:2] == ["Thread 5", "Thread 4"]
