import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Moderator
from app.security import CONTENT_SECURITY_POLICY
from tests.helpers import parse_html
from tests.helpers import post_comment


@pytest.mark.parametrize(
    "url", ["/", "/auth/login", "/articles/no-such-story", "/static/css/site.css"]
)
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers
    response.close()


def test_hsts_only_over_https(client):
    response = client.get("/", base_url="https://news.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_article_page_is_private_to_a_reader_with_our_cookie(client, article):
    post_comment(client, article)
    response = client.get(f"/articles/{article}")
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "Cookie" in response.headers["Vary"]


def test_session_cookie_is_httponly_and_lax(client, moderator):
    client.get("/auth/login")
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_pages_have_no_inline_script_or_style(client, demo_article):
    html = client.get(f"/articles/{demo_article}").get_data(as_text=True)
    scripts = list(parse_html(html).iter("script"))
    assert scripts
    for script in scripts:
        # A file of our own, or JSON-LD: data the browser never runs, so the CSP allows it.
        if script.get("type") == "application/ld+json":
            continue
        assert script.get("src", "").startswith("/static/js/")
        assert not (script.text or "").strip()
    assert "<style" not in html
    assert " style=" not in html


def test_every_staff_page_is_never_stored(app, desk):
    with app.app_context():
        db.session.scalar(select(Moderator)).is_admin = True
        db.session.commit()
    for url in ("/moderation/", "/admin/personal-data", "/auth/two-factor/", "/auth/login"):
        response = desk.client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_public_pages_are_not_marked_no_store(client, article):
    assert client.get("/").headers.get("Cache-Control") != "no-store"
