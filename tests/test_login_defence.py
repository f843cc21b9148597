"""Password guessing, stolen cookies, idle sessions and two-factor, tested through HTTP."""

import time

import pyotp
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Moderator
from tests.conftest import MODERATOR_PASSWORD
from tests.conftest import ModeratorSession
from tests.conftest import add_test_moderator
from tests.helpers import client_at
from tests.helpers import csrf_token_from

WRONG = "not the password at all"


def attempt(app, ip_address: str, username: str = "sam", password: str = WRONG):
    return ModeratorSession(client_at(app, ip_address)).log_in(username, password)


def test_five_failures_lock_out_that_username_from_that_ip(app, moderator):
    for _ in range(5):
        assert attempt(app, "203.0.113.1").status_code == 400
    locked = attempt(app, "203.0.113.1", password=MODERATOR_PASSWORD)
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["Retry-After"]) <= 15 * 60 + 1
    assert "Too many failed attempts" in locked.get_data(as_text=True)


def test_a_lockout_elsewhere_never_locks_the_moderator_out(app, moderator):
    for _ in range(6):
        attempt(app, "203.0.113.1")
    assert attempt(app, "192.0.2.10", password=MODERATOR_PASSWORD).status_code == 303


def test_one_ip_guessing_many_usernames_is_stopped(app, moderator):
    for number in range(20):
        attempt(app, "203.0.113.2", username=f"guess{number}")
    assert (
        attempt(app, "203.0.113.2", username="sam", password=MODERATOR_PASSWORD).status_code == 429
    )


def test_a_successful_login_forgives_earlier_failures(app, moderator):
    for _ in range(4):
        attempt(app, "192.0.2.10")
    assert attempt(app, "192.0.2.10", password=MODERATOR_PASSWORD).status_code == 303
    for _ in range(4):
        assert attempt(app, "192.0.2.10").status_code == 400


def test_login_limits_can_be_switched_off_for_load_tests(make_app):
    app = make_app(RATELIMIT_ENABLED=False)
    add_test_moderator(app)
    for _ in range(8):
        attempt(app, "203.0.113.1")
    assert attempt(app, "203.0.113.1", password=MODERATOR_PASSWORD).status_code == 303


def test_logout_kills_a_copied_session_cookie(app, desk):
    thief = app.test_client()
    thief.set_cookie("session", desk.client.get_cookie("session").value)
    assert thief.get("/moderation/").status_code == 200

    desk.client.post("/auth/logout", data={"csrf_token": desk.token()})
    assert thief.get("/moderation/").status_code == 302


def test_a_new_password_ends_every_session(app, desk, runner):
    result = runner.invoke(
        args=["create-moderator", "sam", "--reset-password"],
        env={"MODERATOR_PASSWORD": "a brand new password"},
    )
    assert result.exit_code == 0, result.output
    assert desk.client.get("/moderation/").status_code == 302
    assert (
        ModeratorSession(app.test_client()).log_in(password="a brand new password").status_code
        == 303
    )


def test_an_idle_moderator_is_logged_out(app, desk, monkeypatch):
    assert desk.client.get("/moderation/").status_code == 200
    later = time.time() + 61 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = desk.client.get("/moderation/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=/moderation/")
    assert "without activity" in desk.client.get("/auth/login").get_data(as_text=True)


def test_moderator_session_cookie_has_a_bounded_lifetime(desk):
    cookie = desk.client.get_cookie("session")
    assert cookie.expires is not None
    assert cookie.http_only


def test_cookies_are_secure_over_https(app, moderator):
    client = app.test_client()
    client.get("/auth/login", base_url="https://news.example")
    assert client.get_cookie("session", domain="news.example").secure


def test_cookies_are_not_marked_secure_over_plain_http(client, moderator):
    client.get("/auth/login")
    assert not client.get_cookie("session").secure


# Two-factor authentication.


def turn_on_two_factor(desk) -> tuple[str, list[str]]:
    """Goes through the setup page as a moderator would, with an authenticator app."""
    page = desk.client.get("/auth/two-factor/").get_data(as_text=True)
    secret = page.split('class="secret-key">Key: <code>')[1].split("</code>")[0]
    qr = desk.client.get("/auth/two-factor/qr.svg")
    assert qr.mimetype == "image/svg+xml"
    code = pyotp.TOTP(secret).now()
    response = desk.client.post(
        "/auth/two-factor/enable", data={"code": code, "csrf_token": csrf_token_from(page)}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    codes = [part.split("</code>")[0] for part in html.split("<li><code>")[1:]]
    assert len(codes) == 10
    return secret, codes


def second_step(client, code: str):
    page = client.get("/auth/two-factor/check").get_data(as_text=True)
    return client.post(
        "/auth/two-factor/check", data={"code": code, "csrf_token": csrf_token_from(page)}
    )


def test_two_factor_asks_for_a_code_after_the_password(app, desk):
    secret, _ = turn_on_two_factor(desk)
    browser = ModeratorSession(app.test_client())
    response = browser.log_in()
    assert response.headers["Location"] == "/auth/two-factor/check"
    assert browser.client.get("/moderation/").status_code == 302

    # The code the setup used is spent; the next time step's code is fresh.
    fresh = pyotp.TOTP(secret).at(time.time() + 30)
    assert second_step(browser.client, fresh).status_code == 303
    assert browser.client.get("/moderation/").status_code == 200


def test_a_code_cannot_be_used_twice(app, desk):
    secret, _ = turn_on_two_factor(desk)
    code = pyotp.TOTP(secret).at(time.time() + 30)
    first, second = (ModeratorSession(app.test_client()) for _ in range(2))
    first.log_in()
    assert second_step(first.client, code).status_code == 303
    second.log_in()
    response = second_step(second.client, code)
    assert response.status_code == 400
    assert "used already" in response.get_data(as_text=True)


def test_a_recovery_code_works_once(app, desk):
    _, codes = turn_on_two_factor(desk)
    for expected in (303, 400):
        browser = ModeratorSession(app.test_client())
        browser.log_in()
        assert second_step(browser.client, codes[0]).status_code == expected


def test_wrong_codes_count_toward_the_lockout(app, desk):
    turn_on_two_factor(desk)
    browser = ModeratorSession(app.test_client())
    browser.log_in()
    for _ in range(5):
        assert second_step(browser.client, "000000").status_code == 400
    assert second_step(browser.client, "000000").status_code == 429


def test_the_right_password_alone_does_not_reset_the_code_count(app, desk):
    turn_on_two_factor(desk)
    for _ in range(5):
        browser = ModeratorSession(app.test_client())
        browser.log_in()
        second_step(browser.client, "000000")
    browser = ModeratorSession(app.test_client())
    assert browser.log_in().status_code == 429


def test_admins_can_be_required_to_use_two_factor(make_app):
    app = make_app(REQUIRE_ADMIN_TWO_FACTOR=True)
    add_test_moderator(app, "ada")
    with app.app_context():
        db.session.scalar(select(Moderator)).is_admin = True
        db.session.commit()
    admin = ModeratorSession(app.test_client())
    admin.log_in("ada")
    response = admin.client.get("/moderation/")
    assert response.headers["Location"] == "/auth/two-factor/"
    turn_on_two_factor(admin)
    assert admin.client.get("/moderation/").status_code == 200


@pytest.mark.parametrize("url", ["/auth/two-factor/", "/auth/two-factor/qr.svg"])
def test_two_factor_pages_need_a_login(client, url):
    assert client.get(url).status_code == 302
