"""The burst guard on public POSTs: per IP, off with RATELIMIT_ENABLED, shared through Redis.

The Redis tests need a Redis server: TEST_REDIS_URL=redis://127.0.0.1:6379/0 (`.ci/run`
starts one). Without it they are skipped; everything else runs on in-process memory.
"""

import os
import secrets

import pytest

from app import create_app
from tests.conftest import publish_test_article
from tests.helpers import client_at
from tests.helpers import csrf_token_from
from tests.helpers import post_comment

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(not TEST_REDIS_URL, reason="TEST_REDIS_URL is not set")


def try_to_log_in(client) -> int:
    """A public POST: a wrong password, answered 400 while the guard lets it through."""
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    data = {"username": "nobody", "password": "not this one", "csrf_token": token}
    return client.post("/auth/login", data=data).status_code


def burst_guarded_app(make_app, **settings):
    # The per-account login lock-out would answer 429 itself; give it room.
    return make_app(
        **{
            "PUBLIC_POST_LIMIT": "3 per minute",
            "LOGIN_FAILURES_PER_ACCOUNT": 100,
            "LOGIN_FAILURES_PER_IP": 100,
            **settings,
        }
    )


def test_a_burst_of_posts_from_one_address_gets_a_readable_429(make_app):
    app = burst_guarded_app(make_app)
    client = client_at(app, "198.51.100.7")
    assert [try_to_log_in(client) for _ in range(3)] == [400, 400, 400]
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"username": "x", "csrf_token": token})
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 61
    assert "Slow down a little" in response.get_data(as_text=True)
    # Another reader is not held up, and pages are never limited.
    assert try_to_log_in(client_at(app, "198.51.100.8")) == 400
    assert client.get("/auth/login").status_code == 200


def test_the_comment_form_is_guarded_too(make_app):
    app = burst_guarded_app(make_app, PUBLIC_POST_LIMIT="1 per minute")
    slug = publish_test_article(app)
    client = client_at(app, "198.51.100.7")
    assert post_comment(client, slug).status_code == 303
    assert post_comment(client, slug, body="And another thing.").status_code == 429


def test_ratelimit_enabled_false_switches_the_guard_off(make_app):
    app = burst_guarded_app(make_app, RATELIMIT_ENABLED=False)
    client = client_at(app, "198.51.100.7")
    assert {try_to_log_in(client) for _ in range(6)} == {400}


def test_without_redis_each_app_counts_on_its_own(make_app):
    first, second = burst_guarded_app(make_app), burst_guarded_app(make_app)
    for _ in range(3):
        try_to_log_in(client_at(first, "198.51.100.7"))
    assert try_to_log_in(client_at(second, "198.51.100.7")) == 400


@pytest.fixture
def redis_settings():
    # A prefix of its own, so no other test's counts (or an earlier run's) get in the way.
    return {"REDIS_URL": TEST_REDIS_URL, "RATELIMIT_KEY_PREFIX": secrets.token_hex(8)}


@needs_redis
def test_two_app_machines_sharing_one_redis_see_one_limit(make_app, redis_settings):
    first = burst_guarded_app(make_app, **redis_settings)
    second = burst_guarded_app(make_app, **redis_settings)
    assert try_to_log_in(client_at(first, "198.51.100.7")) == 400
    assert try_to_log_in(client_at(second, "198.51.100.7")) == 400
    assert try_to_log_in(client_at(first, "198.51.100.7")) == 400
    assert try_to_log_in(client_at(second, "198.51.100.7")) == 429
    assert try_to_log_in(client_at(first, "198.51.100.8")) == 400


def test_redis_url_is_read_without_the_prefix(tmp_path, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k", "TESTING": True})
    assert app.config["REDIS_URL"] == "redis://cache.internal:6379/0"


def test_a_redis_that_is_down_never_stops_a_reader(make_app):
    app = burst_guarded_app(make_app, REDIS_URL="redis://127.0.0.1:9/0")
    client = client_at(app, "198.51.100.7")
    assert try_to_log_in(client) == 400
