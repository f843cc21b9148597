"""A commenter's email must not reach any public response: HTML, headers, error pages."""

import re
from collections import deque
from urllib.parse import quote
from urllib.parse import urldefrag
from urllib.parse import urlsplit

import pytest

from app.models import CommentStatus
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import hidden_fields
from tests.helpers import post_comment

SEEDED_EMAILS = {
    CommentStatus.APPROVED: "approved.person@leakcheck.example",
    CommentStatus.PENDING: "pending.person@leakcheck.example",
    CommentStatus.SPAM: "spam.person@leakcheck.example",
    CommentStatus.TRASH: "trash.person@leakcheck.example",
}
READER_EMAIL = "the.reader.herself@leakcheck.example"
HREF = re.compile(r'href="([^"]+)"')
# Not pages a reader browses: the desk needs a login and logout is a POST.
NOT_PUBLIC = ("/moderation", "/auth/logout")


@pytest.fixture
def seeded_site(app, article):
    for status, email in SEEDED_EMAILS.items():
        store_comment(
            app,
            article,
            status=status,
            email=email,
            name=f"{status.value} person",
            website="https://person.example",
            body=f"A {status.value} comment.",
        )
    return article


def leaked_emails(response, own_email: str | None = None) -> set[str]:
    """Emails of other commenters found in the body or headers (any common encoding)."""
    text = (
        # Icons are binary; an email inside one would still show as ASCII.
        response.get_data().decode("utf-8", errors="replace")
        + "\n"
        + "\n".join(f"{name}: {value}" for name, value in response.headers.items())
    )
    response.close()
    found = set()
    for email in {*SEEDED_EMAILS.values(), READER_EMAIL} - {own_email}:
        local_part = email.split("@")[0]
        for form in (email, quote(email), email.replace("@", "&#64;"), local_part):
            if form.lower() in text.lower():
                found.add(email)
    return found


def crawl(client, start: str = "/", limit: int = 60) -> dict[str, object]:
    """Fetch every same-site page reachable from the home page."""
    seen: dict[str, object] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or url.startswith(NOT_PUBLIC):
            continue
        response = client.get(url)
        seen[url] = response
        body = response.get_data()  # read in full now, for leaked_emails() later
        response.close()
        if response.mimetype != "text/html":
            continue
        html = body.decode()
        for href in HREF.findall(html):
            target, _ = urldefrag(href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if target and not parts.scheme and not parts.netloc and target.startswith("/"):
                queue.append(target)
    return seen


def test_no_public_page_shows_any_commenters_email(app, seeded_site):
    pages = crawl(app.test_client())
    assert article_url(seeded_site) in pages
    assert any(url.startswith("/static/") for url in pages)
    # The feeds are reached through the pages' <link rel="alternate"> and footer links.
    assert "/feeds/articles.atom" in pages
    assert f"/feeds/articles/{seeded_site}/comments.atom" in pages
    assert "approved comment" in pages[f"/feeds/articles/{seeded_site}/comments.atom"].get_data(
        as_text=True
    )
    for url, response in pages.items():
        assert leaked_emails(response) == set(), url


@pytest.mark.parametrize("url", ["/sitemap.xml", "/robots.txt", "/favicon.ico"])
def test_files_for_crawlers_show_no_email(app, seeded_site, url):
    response = app.test_client().get(url)
    assert response.status_code == 200
    assert leaked_emails(response) == set()


def test_the_commenters_own_view_shows_no_email_either(app, seeded_site):
    reader = app.test_client()
    post_comment(reader, seeded_site, email=READER_EMAIL, body="My own pending words.")
    page = reader.get(article_url(seeded_site))
    assert "My own pending words." in page.get_data(as_text=True)
    assert leaked_emails(page) == set()
    for url, response in crawl(reader).items():
        assert leaked_emails(response) == set(), url


def test_the_session_cookie_holds_no_email(app, seeded_site):
    reader = app.test_client()
    post_comment(reader, seeded_site, email=READER_EMAIL)
    with reader.session_transaction() as session:
        assert READER_EMAIL not in repr(dict(session))


def test_error_pages_show_no_email(app, seeded_site):
    reader = app.test_client()
    responses = [
        reader.get("/articles/no-such-story"),
        reader.get("/auth/logout"),
        reader.post("/auth/login", data={"username": READER_EMAIL}),
        reader.get(f"/articles/{seeded_site}/comments"),
    ]
    assert [response.status_code for response in responses] == [404, 405, 400, 405]
    for response in responses:
        assert leaked_emails(response) == set()


def test_an_expired_form_gives_back_only_what_this_reader_typed(app, seeded_site):
    reader = app.test_client()
    response = reader.post(
        f"/articles/{seeded_site}/comments", data={"email": READER_EMAIL, "body": "Mine."}
    )
    assert response.status_code == 400
    assert "Please enter your name." in response.get_data(as_text=True)
    assert leaked_emails(response, own_email=READER_EMAIL) == set()


def test_a_failed_form_shows_other_readers_no_email(app, seeded_site):
    reader = app.test_client()
    hidden = hidden_fields(reader.get(article_url(seeded_site)).get_data(as_text=True), reader)
    response = reader.post(
        f"/articles/{seeded_site}/comments",
        data={**hidden, "name": "", "email": "x@example.org", "body": "hi"},
    )
    assert response.status_code == 400
    assert leaked_emails(response) == set()
