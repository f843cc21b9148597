from urllib.parse import quote

import pytest

from app.auth.accounts import authenticate
from app.auth.redirects import is_local_path
from app.extensions import db
from app.models import Moderator
from tests.conftest import MODERATOR_PASSWORD
from tests.conftest import ModeratorSession
from tests.helpers import csrf_token_from

LOGIN_FAILED = "That username and password don’t match an active moderator account."


def test_login_takes_the_moderator_to_the_queue(client, moderator):
    response = ModeratorSession(client).log_in()
    assert response.status_code == 303
    assert response.headers["Location"] == "/moderation/"
    assert client.get("/moderation/").status_code == 200


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("sam", "wrong password entirely"),
        ("nobody", MODERATOR_PASSWORD),
        ("SAM", MODERATOR_PASSWORD),
    ],
)
def test_every_failed_login_gets_the_same_message(client, moderator, username, password):
    response = ModeratorSession(client).log_in(username, password)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert LOGIN_FAILED in html
    assert username in html  # the typed username is kept
    assert password not in html
    assert client.get("/moderation/").status_code == 302


def test_disabled_moderator_cannot_log_in(app, client, moderator):
    with app.app_context():
        db.session.query(Moderator).update({"active": False})
        db.session.commit()
    assert ModeratorSession(client).log_in().status_code == 400


def test_login_follows_a_local_next_path(client, moderator):
    response = ModeratorSession(client).log_in(next_path="/moderation/?page=2")
    assert response.headers["Location"] == "/moderation/?page=2"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/\r\nSet-Cookie: planted=1",
        "",
    ],
)
def test_login_never_redirects_off_site(client, moderator, target):
    response = ModeratorSession(client).log_in(next_path=quote(target, safe=""))
    assert response.headers["Location"] == "/moderation/"
    assert "planted" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(
    ("target", "allowed"),
    [
        ("/moderation/", True),
        ("/articles/x?y=1#z", True),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("https://evil.example", False),
        ("/line\nbreak", False),
        (None, False),
    ],
)
def test_is_local_path(target, allowed):
    assert is_local_path(target) is allowed


def test_login_starts_a_fresh_session(client, moderator):
    client.get("/auth/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    ModeratorSession(client).log_in()
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_is_a_post_and_ends_the_session(client, moderator):
    ModeratorSession(client).log_in()
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/moderation/").status_code == 200

    token = csrf_token_from(client.get("/moderation/").get_data(as_text=True))
    response = client.post("/auth/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get("/moderation/").status_code == 302


def test_logout_without_csrf_token_does_nothing(client, moderator):
    ModeratorSession(client).log_in()
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/moderation/").status_code == 200


def test_passwords_are_stored_hashed(app, moderator):
    with app.app_context():
        stored = db.session.query(Moderator).one()
        assert MODERATOR_PASSWORD not in stored.password_hash
        assert stored.password_hash.startswith(("scrypt:", "pbkdf2:"))
        assert authenticate("sam", MODERATOR_PASSWORD) is not None
        assert authenticate("sam", "nearly the password") is None


def test_login_page_is_never_cached(client):
    assert client.get("/auth/login").headers["Cache-Control"] == "no-store"
