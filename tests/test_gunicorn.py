"""The production path: init-db, then `gunicorn wsgi:app` with gunicorn.conf.py, over real HTTP."""

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from app import PROJECT_ROOT
from tests.helpers import hidden_fields

pytestmark = pytest.mark.slow
DEMO_PATH = "/articles/paris-summit-ukraine-post-war-security"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def served_site(tmp_path):
    port = free_port()
    environment = {
        **os.environ,
        "FLASK_INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "gunicorn-test-secret",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        # This test is about serving; the comment defences have tests of their own.
        "FLASK_COMMENT_MIN_SECONDS": "0",
    }
    bin_folder = Path(sys.executable).parent
    subprocess.run(
        [bin_folder / "flask", "--app", "wsgi", "init-db"],
        cwd=PROJECT_ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [bin_folder / "gunicorn", "wsgi:app"],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base_url + "/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start:\n" + log_path.read_text())
        yield base_url, log_path
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorn_serves_the_demo_article_and_takes_a_comment(served_site):
    base_url, log_path = served_site
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
    )
    with browser.open(base_url + DEMO_PATH + "?utm_source=secret-campaign") as page:
        html = page.read().decode()
    assert "At a Glance" in html

    form = urllib.parse.urlencode(
        {
            **hidden_fields(html),
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
    log = log_path.read_text()
    assert f"GET {DEMO_PATH} HTTP/1.1" in log
    assert "secret-campaign" not in log
    assert "real.browser@example.org" not in log
