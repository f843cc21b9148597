"""What search engines and link previews read: title, description, canonical link, OG, JSON-LD."""

import json

import pytest

from app.models import CommentStatus
from tests.conftest import ARTICLE_SOURCE
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import parse_html
from tests.helpers import text_of


def head_of(client, url: str):
    return parse_html(client.get(url).get_data(as_text=True)).find("head")


def meta_content(head, **attribute) -> str | None:
    [(name, value)] = attribute.items()
    for meta in head.iter("meta"):
        if meta.get(name.replace("_", ":")) == value:
            return meta.get("content")
    return None


def test_article_page_has_title_description_canonical_and_open_graph(client, demo_article):
    head = head_of(client, article_url(demo_article) + "?utm_source=newsletter")
    title = "Thirty-Five Nations Gather in Paris to Plan Ukraine's Protection After the War"
    assert text_of(head.find("title")) == f"{title} | The Morning Ledger"
    description = meta_content(head, name="description")
    assert description.startswith("Leaders of a 35-country coalition met in Paris")
    canonical = f"http://localhost/articles/{demo_article}"
    assert head.find("link[@rel='canonical']").get("href") == canonical
    assert meta_content(head, property="og:type") == "article"
    assert meta_content(head, property="og:title") == title
    assert meta_content(head, property="og:description") == description
    assert meta_content(head, property="og:url") == canonical
    assert meta_content(head, property="og:site_name") == "The Morning Ledger"
    assert meta_content(head, property="article:published_time") == "2026-01-06T17:30:00Z"


def test_article_page_describes_itself_as_a_news_article(app, client, article):
    store_comment(app, article, status=CommentStatus.APPROVED)
    store_comment(app, article, status=CommentStatus.PENDING)
    head = head_of(client, article_url(article))
    [block] = [s for s in head.iter("script") if s.get("type") == "application/ld+json"]
    data = json.loads(block.text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Council Approves New Riverside Park"
    assert data["description"].startswith("The city council voted 9-2")
    assert data["datePublished"] == "2026-03-02T09:00:00Z"
    assert data["author"] == [{"@type": "Organization", "name": "City Desk"}]
    assert data["publisher"]["name"] == "The Morning Ledger"
    assert data["mainEntityOfPage"]["@id"] == f"http://localhost/articles/{article}"
    assert data["commentCount"] == 1  # approved comments only


def test_json_ld_cannot_close_its_script_block(client, app):
    slug = publish_test_article(
        app, ARTICLE_SOURCE.replace("Council Approves", "Council </script><b>Approves")
    )
    html = client.get(article_url(slug)).get_data(as_text=True)
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(block)["headline"].startswith("Council </script><b>Approves")


def test_home_page_describes_the_site(client):
    head = head_of(client, "/")
    assert text_of(head.find("title")) == "The Morning Ledger"
    assert meta_content(head, name="description").startswith("News and analysis")
    assert head.find("link[@rel='canonical']").get("href") == "http://localhost/"
    assert meta_content(head, property="og:type") == "website"


def test_canonical_links_use_the_sites_public_address_when_set(make_app):
    app = make_app(SITE_URL="https://news.example.com")
    head = head_of(app.test_client(), "/")
    assert head.find("link[@rel='canonical']").get("href") == "https://news.example.com/"


@pytest.mark.parametrize("value", ["news.example.com", "ftp://news.example.com", "https://x.io/a"])
def test_a_site_url_that_is_not_an_origin_is_refused_at_start(make_app, value):
    with pytest.raises(RuntimeError, match="SITE_URL"):
        make_app(SITE_URL=value)


@pytest.mark.parametrize("url", ["/auth/login", "/articles/no-such-story"])
def test_staff_and_error_pages_ask_not_to_be_indexed(client, url):
    assert meta_content(head_of(client, url), name="robots") == "noindex"


def test_the_moderation_queue_asks_not_to_be_indexed(desk):
    html = desk.client.get("/moderation/").get_data(as_text=True)
    assert meta_content(parse_html(html).find("head"), name="robots") == "noindex"


def test_reader_pages_may_be_indexed(client, article):
    for url in ("/", article_url(article), "/comment-policy", "/privacy"):
        assert meta_content(head_of(client, url), name="robots") is None
