"""The production path: init-db, then `gunicorn wsgi:app` with gunicorn.conf.py, over real HTTP."""

import http.cookiejar
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.helpers import STAMP_URL
from tests.serving import GunicornSite

pytestmark = pytest.mark.slow
DEMO_PATH = "/articles/paris-summit-ukraine-post-war-security"
FORGED_HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def served_site(tmp_path, empty_database_url):
    # This test is about serving; the comment defences have tests of their own.
    settings = {"FLASK_COMMENT_MIN_SECONDS": "0"}
    with GunicornSite(tmp_path, empty_database_url, settings=settings) as site:
        yield site


def test_gunicorn_serves_the_demo_article_and_takes_a_comment(served_site):
    base_url = served_site.base_url
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
    )
    with browser.open(base_url + DEMO_PATH + "?utm_source=secret-campaign") as page:
        html = page.read().decode()
    assert "At a Glance" in html
    # What static/js/comment-stamp.js does when the reader first focuses the form.
    with browser.open(base_url + STAMP_URL) as answer:
        stamp = json.loads(answer.read())["stamp"]

    form = urllib.parse.urlencode(
        {
            "stamp": stamp,
            "name": "Real Browser",
            "email": "real.browser@example.org",
            "body": "Sent over real HTTP to gunicorn.",
        }
    ).encode()
    with pytest.raises(urllib.error.HTTPError) as redirect:
        browser.open(base_url + DEMO_PATH + "/comments", data=form)
    redirect.value.close()
    assert redirect.value.code == 303
    location = redirect.value.headers["Location"]
    with browser.open(base_url + location) as page:
        html = page.read().decode()
    assert "Sent over real HTTP to gunicorn." in html
    assert "Your comment is awaiting moderation." in html

    time.sleep(0.2)
    log = served_site.log()
    assert f"GET {DEMO_PATH} 200 " in log
    assert f"POST {DEMO_PATH}/comments 303 " in log
    assert "secret-campaign" not in log
    assert "real.browser@example.org" not in log


def test_healthz_answers_through_gunicorn(served_site):
    with urllib.request.urlopen(served_site.base_url + "/healthz") as response:
        assert response.status == 200
        assert response.read() == b'{"status":"ok"}\n'


def test_a_forged_https_header_changes_nothing_without_a_trusted_proxy(served_site):
    request = urllib.request.Request(served_site.base_url + "/auth/login", headers=FORGED_HTTPS)
    with urllib.request.urlopen(request) as response:
        assert response.headers["Strict-Transport-Security"] is None
        assert "Secure" not in response.headers["Set-Cookie"]


def test_behind_a_trusted_proxy_gunicorn_serves_the_site_as_https(tmp_path, empty_database_url):
    with GunicornSite(
        tmp_path, empty_database_url, settings={"FLASK_TRUSTED_PROXY_HOPS": "1"}
    ) as site:
        request = urllib.request.Request(site.base_url + "/auth/login", headers=FORGED_HTTPS)
        with urllib.request.urlopen(request) as response:
            assert response.headers["Strict-Transport-Security"].startswith("max-age=")
            assert "Secure" in response.headers["Set-Cookie"]
