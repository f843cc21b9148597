"""Atom feeds of articles and of each article's approved comments, and nothing private in them."""

import xml.etree.ElementTree as ElementTree

import pytest

from app.comments.validators import has_control_characters
from app.feeds.views import FEED_LENGTH
from app.models import CommentStatus
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import parse_html
from tests.test_hostile_input import CORPUS

ATOM = "{http://www.w3.org/2005/Atom}"


def atom_feed(response) -> ElementTree.Element:
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.get_data())  # noqa: S314  (our own output)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{required}"), required
    return feed


def entries(feed: ElementTree.Element) -> list[ElementTree.Element]:
    return feed.findall(f"{ATOM}entry")


def test_articles_feed_lists_published_articles_with_links_and_dates(client, demo_article):
    feed = atom_feed(client.get("/feeds/articles.atom"))
    assert feed.findtext(f"{ATOM}title") == "The Morning Ledger"
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == "http://localhost/feeds/articles.atom"
    [entry] = entries(feed)
    assert entry.findtext(f"{ATOM}title").startswith("Thirty-Five Nations Gather in Paris")
    assert entry.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        f"http://localhost/articles/{demo_article}"
    )
    assert entry.findtext(f"{ATOM}published") == "2026-01-06T17:30:00Z"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Foreign Desk"
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "<h2" in content.text  # the HTML arrives as text, for the feed reader to render


def test_comment_feed_holds_only_approved_comments_and_no_email(app, client, article):
    store_comment(
        app, article, status=CommentStatus.APPROVED, name="Ada", body="Approved words.",
        email="ada.private@example.org", website="https://ada.example",
    )  # fmt: skip
    for status in (CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.TRASH):
        store_comment(app, article, status=status, body=f"Hidden {status.value} words.")
    response = client.get(f"/feeds/articles/{article}/comments.atom")
    raw = response.get_data(as_text=True)
    feed = atom_feed(response)
    [entry] = entries(feed)
    assert entry.findtext(f"{ATOM}title") == "Comment by Ada"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Ada"
    assert entry.findtext(f"{ATOM}author/{ATOM}uri") == "https://ada.example"
    assert "Approved words." in entry.findtext(f"{ATOM}content")
    link = entry.find(f"{ATOM}link").get("href")
    assert link.startswith("http://localhost/comments/")
    # The permalink finds the comment's page.
    found = client.get(link.removeprefix("http://localhost"))
    assert found.headers["Location"].startswith(f"/articles/{article}#comment-")
    assert "Hidden" not in raw
    assert "@" not in raw.replace("xmlns", "")  # no email address of any kind


def test_comment_feed_of_an_unknown_article_is_not_found(client):
    assert client.get("/feeds/articles/no-such-story/comments.atom").status_code == 404


def test_an_article_without_comments_still_has_a_valid_feed(client, article):
    feed = atom_feed(client.get(f"/feeds/articles/{article}/comments.atom"))
    assert entries(feed) == []


def storable(body: str) -> bool:
    """What the form accepts: it refuses control characters (bar tab and line breaks)."""
    return not has_control_characters(body, allow_line_breaks=True)


@pytest.mark.parametrize("first", range(0, len(CORPUS["bodies"]), FEED_LENGTH))
def test_hostile_comments_leave_the_feed_well_formed_and_inert(app, client, article, first):
    bodies = [body for body in CORPUS["bodies"][first : first + FEED_LENGTH] if storable(body)]
    for body in bodies:
        store_comment(app, article, status=CommentStatus.APPROVED, name="<b>Mallory</b>", body=body)
    feed = atom_feed(client.get(f"/feeds/articles/{article}/comments.atom"))
    assert len(entries(feed)) == len(bodies)
    page = client.get(article_url(article)).get_data(as_text=True)
    for entry in entries(feed):
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == "<b>Mallory</b>"
        # The content is the stored, cleaned HTML: a reader renders exactly what the page shows.
        assert entry.findtext(f"{ATOM}content") in page


def test_feeds_are_announced_on_the_pages(client, article):
    home = parse_html(client.get("/").get_data(as_text=True))
    story = parse_html(client.get(article_url(article)).get_data(as_text=True))

    def feed_links(document):
        return [
            link.get("href")
            for link in document.iter("link")
            if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"
        ]

    assert feed_links(home) == ["/feeds/articles.atom"]
    assert feed_links(story) == [
        "/feeds/articles.atom",
        f"/feeds/articles/{article}/comments.atom",
    ]


def test_feed_addresses_use_the_sites_public_address_when_set(make_app):
    app = make_app(SITE_URL="https://news.example.com/")
    feed = atom_feed(app.test_client().get("/feeds/articles.atom"))
    assert feed.findtext(f"{ATOM}id") == "https://news.example.com/feeds/articles.atom"


def test_feeds_may_be_cached_briefly_by_anyone(client):
    response = client.get("/feeds/articles.atom")
    assert response.headers["Cache-Control"].startswith("public, max-age=0, s-maxage=")
    assert "Set-Cookie" not in response.headers
