"""deploy/nginx.conf's micro-caching, and the benchmark's nginx that serves it on loopback.

The benchmark derives its nginx configuration from deploy/nginx.conf; these tests make sure
it keeps every caching directive newsrooms deploy, and that those directives do what the
README promises: one kept copy for readers without our cookies, none for anyone else.
"""

import threading
import urllib.request
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import pytest

from bench.nginx import DEPLOYED_CONFIG
from bench.nginx import Directive
from bench.nginx import NginxServer
from bench.nginx import installed
from bench.nginx import loopback_site
from bench.nginx import parse
from bench.nginx import render
from bench.nginx import site_location
from bench.nginx import walk
from bench.processes import StartedProcesses

DEPLOYED = parse(DEPLOYED_CONFIG.read_text())
PUBLIC_PAGE = "public, max-age=0, s-maxage=10, stale-while-revalidate=30"


def directive(directives, name: str) -> Directive:
    found = [each for each in directives if each.name == name]
    assert len(found) == 1, f"{name} appears {len(found)} times"
    return found[0]


def loopback(tmp_path, port: int = 8080, upstream: str = "127.0.0.1:9000"):
    return loopback_site(DEPLOYED, port=port, upstream=upstream, cache_folder=tmp_path / "cache")


def test_the_deployed_site_keeps_public_pages_for_a_few_seconds():
    location = site_location(DEPLOYED).block

    assert directive(location, "proxy_cache").arguments == ("news_pages",)
    assert directive(location, "proxy_cache_key").arguments == ("$scheme$host$request_uri",)
    assert directive(location, "proxy_cache_valid").arguments == ("200", "10s")
    stale = directive(location, "proxy_cache_use_stale").arguments
    assert {"updating", "error", "timeout", "http_500", "http_502", "http_503"} <= set(stale)
    assert directive(location, "proxy_cache_background_update").arguments == ("on",)
    assert directive(location, "proxy_cache_lock").arguments == ("on",)
    # Only GET and HEAD are kept: a POST must never be answered from the cache.
    assert not [each for each in walk(DEPLOYED) if each.name == "proxy_cache_methods"]
    zone = directive(DEPLOYED, "proxy_cache_path").arguments
    assert "keys_zone=news_pages:10m" in zone


@pytest.mark.parametrize("name", ["proxy_cache_bypass", "proxy_no_cache"])
def test_readers_with_our_cookies_and_staff_pages_are_never_served_or_kept(name):
    (conditions,) = directive(site_location(DEPLOYED).block, name).arguments

    assert "$cookie_session" in conditions
    assert "$cookie_commenter" in conditions
    assert "$news_staff_page" in conditions
    staff_map = directive(DEPLOYED, "map")
    assert staff_map.arguments == ("$request_uri", "$news_staff_page")
    assert Directive("~^/(moderation|admin|auth)/", ("1",)) in staff_map.block


def test_the_benchmark_serves_the_deployed_location_unchanged(tmp_path):
    """The drift test: (a-nginx) measures exactly the caching newsrooms deploy."""
    site = loopback(tmp_path)

    assert site_location(site) == site_location(DEPLOYED)
    assert directive(site, "map") == directive(DEPLOYED, "map")
    deployed_zone = directive(DEPLOYED, "proxy_cache_path").arguments
    assert directive(site, "proxy_cache_path").arguments == (
        str(tmp_path / "cache"),
        *deployed_zone[1:],
    )


def test_the_benchmark_drops_only_tls_the_redirect_and_the_addresses(tmp_path):
    site = loopback(tmp_path, port=8123, upstream="127.0.0.1:9123")

    servers = [each for each in site if each.name == "server"]
    assert len(servers) == 1
    (server,) = servers
    assert [each.arguments for each in server.block if each.name == "listen"] == [
        ("127.0.0.1:8123",)
    ]
    assert not [each for each in walk(site) if each.name.startswith("ssl_")]
    upstream = directive(site, "upstream")
    assert [each.arguments for each in upstream.block if each.name == "server"] == [
        ("127.0.0.1:9123",)
    ]
    assert directive(upstream.block, "keepalive") == directive(
        directive(DEPLOYED, "upstream").block, "keepalive"
    )


def test_rendering_and_parsing_again_changes_nothing():
    assert parse(render(DEPLOYED)) == DEPLOYED


@pytest.mark.parametrize("broken", ["server {", "listen 80", "}", "location / { proxy_pass x; }}"])
def test_a_broken_configuration_is_refused(broken):
    with pytest.raises(ValueError):
        parse(broken)


class _CountingApp(BaseHTTPRequestHandler):
    """An app that counts what reaches it and answers as the site does for a new reader."""

    served = 0

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).served += 1
        body = f"page {type(self).served}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if self.path.startswith("/moderation/"):
            self.send_header("Cache-Control", "no-store")
        else:
            self.send_header("Cache-Control", PUBLIC_PAGE)
            self.send_header("Vary", "Cookie")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


@pytest.fixture
def nginx_in_front(tmp_path):
    if not installed():
        pytest.skip("nginx is not installed (the benchmark installs nginx-light)")
    _CountingApp.served = 0
    app = ThreadingHTTPServer(("127.0.0.1", 0), _CountingApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    processes = StartedProcesses()
    try:
        with NginxServer(processes, f"127.0.0.1:{app.server_port}", tmp_path) as nginx:
            _CountingApp.served = 0  # Not the readiness probe.
            yield nginx
    finally:
        processes.stop_all()
        app.shutdown()
        app.server_close()


def fetch(url: str, cookie: str = "") -> tuple[str, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.read().decode(), answer.headers["X-Cache-Status"]


def test_new_readers_share_one_kept_copy(nginx_in_front):
    first = fetch(nginx_in_front.url("/articles/demo"))
    second = fetch(nginx_in_front.url("/articles/demo"))

    assert first == ("page 1", "MISS")
    assert second == ("page 1", "HIT")
    assert _CountingApp.served == 1


@pytest.mark.parametrize("cookie", ["session=abc", "commenter=abc", "other=1; session=abc"])
def test_a_reader_with_our_cookie_reaches_the_app_and_is_not_kept(nginx_in_front, cookie):
    fetch(nginx_in_front.url("/articles/demo"))

    own = fetch(nginx_in_front.url("/articles/demo"), cookie)
    after = fetch(nginx_in_front.url("/articles/demo"))

    assert own == ("page 2", "BYPASS")
    assert after == ("page 1", "HIT")


def test_a_staff_page_is_never_kept(nginx_in_front):
    first = fetch(nginx_in_front.url("/moderation/"))
    second = fetch(nginx_in_front.url("/moderation/"))

    assert first[0] == "page 1" and second[0] == "page 2"
    assert _CountingApp.served == 2
