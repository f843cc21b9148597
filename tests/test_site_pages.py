"""The site's own pages and files: comment policy, privacy notice, robots.txt, sitemap, icon."""

import xml.etree.ElementTree as ElementTree
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest

from app.site.documents import SiteDocumentError
from tests.conftest import ARTICLE_SOURCE
from tests.conftest import publish_test_article
from tests.helpers import article_url
from tests.helpers import parse_html
from tests.helpers import text_of

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OWN_POLICY = """---
title: House rules
summary: The Gazette's rules for comments.
---
Be kind. <script>alert(1)</script>

## Appeals

Write to the editor.
"""


@pytest.mark.parametrize(
    ("url", "title"), [("/comment-policy", "Comment policy"), ("/privacy", "Privacy notice")]
)
def test_policy_pages_show_the_shipped_text_in_the_site_style(client, url, title):
    page = client.get(url)
    assert page.status_code == 200
    document = parse_html(page.get_data(as_text=True))
    assert [text_of(h1) for h1 in document.iter("h1")] == [title]
    assert document.find(".//main") is not None
    assert document.find(".//link[@rel='stylesheet']") is not None
    assert f"{title} | The Morning Ledger" == text_of(document.find(".//title"))
    canonical = document.find(".//link[@rel='canonical']").get("href")
    assert canonical == f"http://localhost{url}"


def test_the_privacy_notice_says_the_email_is_never_published(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert "never published" in html
    assert "no advertising, analytics or tracking" in html


def test_a_setting_replaces_the_policy_with_the_newsrooms_own_file(tmp_path, make_app):
    own = tmp_path / "house-rules.md"
    own.write_text(OWN_POLICY, encoding="utf-8")
    app = make_app(COMMENT_POLICY_FILE=str(own))
    html = app.test_client().get("/comment-policy").get_data(as_text=True)
    assert "<h1" in html and "House rules" in html
    assert "Be kind." in html
    assert "<script>alert" not in html
    assert "The Gazette&#39;s rules for comments." in html


def test_a_relative_policy_file_is_read_from_the_instance_folder(make_app):
    instance = Path(make_app().instance_path)
    (instance / "privacy.md").write_text(
        OWN_POLICY.replace("House rules", "Our privacy promise"), encoding="utf-8"
    )
    app = make_app(INSTANCE_PATH=str(instance), PRIVACY_NOTICE_FILE="privacy.md")
    assert "Our privacy promise" in app.test_client().get("/privacy").get_data(as_text=True)


def test_a_missing_policy_file_stops_the_start_with_a_clear_message(make_app):
    with pytest.raises(SiteDocumentError, match="COMMENT_POLICY_FILE points at .*missing.md"):
        make_app(COMMENT_POLICY_FILE="missing.md")


def test_a_policy_file_without_a_header_is_refused(make_app, tmp_path):
    headerless = tmp_path / "headerless.md"
    headerless.write_text("Just text.\n", encoding="utf-8")
    with pytest.raises(SiteDocumentError, match="must start with a header"):
        make_app(PRIVACY_NOTICE_FILE=str(headerless))


def test_the_comment_form_links_to_the_policy_and_the_privacy_notice(client, article):
    document = parse_html(client.get(article_url(article)).get_data(as_text=True))
    note = document.find(".//form//p[@class='comment-policy-note']")
    links = {text_of(link): link.get("href") for link in note.iter("a")}
    assert links == {"comment policy": "/comment-policy", "privacy notice": "/privacy"}


def test_every_page_links_to_the_policy_pages_and_the_feed(client):
    document = parse_html(client.get("/").get_data(as_text=True))
    footer_links = {link.get("href") for link in document.find(".//footer").iter("a")}
    assert {"/comment-policy", "/privacy", "/feeds/articles.atom"} <= footer_links


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_off_the_desk(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /moderation/" in lines
    assert "Disallow: /auth/" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert not any(line.startswith("Disallow: /articles") for line in lines)


def test_sitemap_lists_the_published_articles_and_the_sites_pages(app, client, article):
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    future = ARTICLE_SOURCE.replace("council-approves-riverside-park", "not-yet").replace(
        "2026-03-02T09:00:00Z", tomorrow
    )
    publish_test_article(app, future)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    urlset = ElementTree.fromstring(response.get_data())  # noqa: S314  (our own output)
    locations = [url.findtext(f"{SITEMAP}loc") for url in urlset.iter(f"{SITEMAP}url")]
    assert locations == [
        "http://localhost/",
        f"http://localhost/articles/{article}",
        "http://localhost/comment-policy",
        "http://localhost/privacy",
    ]
    lastmod = urlset.find(f"{SITEMAP}url/{SITEMAP}lastmod")
    assert lastmod.text.endswith("Z")


def test_the_icon_is_served_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.get_data()[:4] == b"\x00\x00\x01\x00"
    response.close()
    document = parse_html(client.get("/").get_data(as_text=True))
    icons = {link.get("rel"): link.get("href") for link in document.iter("link")}
    assert icons["icon"] == "/static/favicon.svg"
    assert icons["apple-touch-icon"] == "/static/apple-touch-icon.png"


@pytest.mark.parametrize(
    "url", ["/", "/comment-policy", "/privacy", "/auth/login", "/articles/no-such-story"]
)
def test_every_page_has_one_h1_and_the_landmarks(client, url):
    document = parse_html(client.get(url).get_data(as_text=True))
    assert len(list(document.iter("h1"))) == 1
    body = document.find("body")
    assert [child.tag for child in body if child.tag in {"header", "main", "footer"}] == [
        "header",
        "main",
        "footer",
    ]
