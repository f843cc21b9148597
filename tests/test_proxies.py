"""X-Forwarded-* headers count only from the proxies TRUSTED_PROXY_HOPS says are there."""

import pytest
from flask import request

from tests.helpers import client_at

FORGED = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-For": "203.0.113.9",
    "X-Forwarded-Port": "443",
}


def add_echo_view(app):
    """What the app believes about the request it is answering."""

    def echo():
        return {
            "scheme": request.scheme,
            "host": request.host,
            "ip": request.remote_addr,
            "url": request.url_root,
        }

    app.add_url_rule("/echo", view_func=echo)


def test_with_no_trusted_proxy_forged_headers_change_nothing(make_app):
    app = make_app()
    add_echo_view(app)
    client = client_at(app, "192.0.2.44")
    assert client.get("/echo", headers=FORGED).get_json() == {
        "scheme": "http",
        "host": "localhost",
        "ip": "192.0.2.44",
        "url": "http://localhost/",
    }
    response = client.get("/auth/login", headers=FORGED)
    assert "Strict-Transport-Security" not in response.headers
    assert "Secure" not in response.headers["Set-Cookie"]


def test_behind_one_trusted_proxy_the_app_knows_it_is_on_https(make_app):
    app = make_app(TRUSTED_PROXY_HOPS=1)
    add_echo_view(app)
    client = client_at(app, "127.0.0.1")
    assert client.get("/echo", headers=FORGED).get_json() == {
        "scheme": "https",
        "host": "evil.example",
        "ip": "203.0.113.9",
        "url": "https://evil.example/",
    }
    response = client.get("/auth/login", headers=FORGED)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("hops", [1, 2])
def test_only_the_addresses_the_proxies_added_are_believed(make_app, hops):
    app = make_app(TRUSTED_PROXY_HOPS=hops)
    add_echo_view(app)
    # The client forged the first address; each proxy appended the address it saw.
    chain = "198.51.100.1, 203.0.113.9" if hops == 1 else "198.51.100.1, 203.0.113.9, 10.0.0.2"
    answer = client_at(app, "127.0.0.1").get("/echo", headers={"X-Forwarded-For": chain})
    assert answer.get_json()["ip"] == "203.0.113.9"
