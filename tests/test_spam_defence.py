"""Each defence of the comment form, switched on, tested through HTTP as an attacker would."""

import pytest
from sqlalchemy import func
from sqlalchemy import select

from app.comments import guard
from app.extensions import db
from app.models import Comment
from app.models import CommentStatus
from tests.conftest import ARTICLE_SOURCE
from tests.conftest import publish_test_article
from tests.helpers import article_url
from tests.helpers import client_at
from tests.helpers import comment_form
from tests.helpers import hidden_fields
from tests.helpers import post_comment


def page_fields(client, slug: str) -> dict[str, str]:
    return hidden_fields(client.get(article_url(slug)).get_data(as_text=True), client)


def stored(app) -> list[Comment]:
    with app.app_context():
        return db.session.scalars(select(Comment).order_by(Comment.id)).all()


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Comment))


@pytest.fixture
def moving_clock(monkeypatch):
    """Lets a test say how many seconds pass between showing the form and sending it."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(guard, "clock", lambda: now[0])

    def advance(seconds: float) -> None:
        now[0] += seconds

    return advance


@pytest.fixture
def guarded_site(make_app):
    app = make_app(COMMENT_MIN_SECONDS=3)
    return app, publish_test_article(app)


def send_after(client, slug, seconds, advance, **fields):
    hidden = hidden_fields(client.get(article_url(slug)).get_data(as_text=True), client)
    advance(seconds)
    return client.post(f"/articles/{slug}/comments", data={**comment_form(**fields), **hidden})


# Refused: nothing stored, the form comes back with the reader's text.


def test_a_form_sent_back_too_fast_is_refused_with_the_text_kept(guarded_site, moving_clock):
    app, slug = guarded_site
    client = app.test_client()
    response = send_after(client, slug, 1, moving_clock, body="Typed at machine speed.")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That was quick!" in html
    assert "Typed at machine speed." in html
    assert count(app) == 0


def test_a_refused_fast_form_goes_through_when_sent_again(guarded_site, moving_clock):
    app, slug = guarded_site
    client = app.test_client()
    first = send_after(client, slug, 1, moving_clock, body="Quick but human.")
    # The re-shown form keeps its stamp, so its age keeps counting from the first view.
    resend = hidden_fields(first.get_data(as_text=True))
    moving_clock(5)
    data = {**comment_form(body="Quick but human."), **resend}
    assert client.post(f"/articles/{slug}/comments", data=data).status_code == 303
    assert count(app) == 1


def test_a_form_older_than_a_day_is_refused_as_expired(guarded_site, moving_clock):
    app, slug = guarded_site
    response = send_after(app.test_client(), slug, 86_400 + 60, moving_clock)
    assert response.status_code == 400
    assert "This form expired, please send it again." in response.get_data(as_text=True)
    assert count(app) == 0


@pytest.mark.parametrize("stamp", ["", "forged.stamp.value", "bm9uY2U.AAAAAA.bad-signature"])
def test_a_missing_or_forged_stamp_is_refused(guarded_site, stamp):
    app, slug = guarded_site
    client = app.test_client()
    hidden = hidden_fields(client.get(article_url(slug)).get_data(as_text=True), client)
    hidden["stamp"] = stamp
    response = client.post(f"/articles/{slug}/comments", data={**comment_form(), **hidden})
    assert response.status_code == 400
    assert "Please check your comment and send it again." in response.get_data(as_text=True)
    assert count(app) == 0


@pytest.mark.parametrize("same", ["email", "ip"])
def test_saying_the_same_thing_twice_is_refused(app, article, same):
    first = client_at(app, "192.0.2.1")
    post_comment(first, article, email="first@example.org", body="Exactly these words.")
    second = client_at(app, "192.0.2.1" if same == "ip" else "192.0.2.99")
    email = "first@example.org" if same == "email" else "second@example.org"
    response = post_comment(second, article, email=email, body="Exactly these words.")
    assert response.status_code == 400
    assert "It looks as though you’ve already said that." in response.get_data(as_text=True)
    assert count(app) == 1


def test_the_same_words_from_someone_else_are_fine(app, article):
    post_comment(client_at(app, "192.0.2.1"), article, body="+1")
    other = client_at(app, "192.0.2.2")
    assert post_comment(other, article, email="other@example.org", body="+1").status_code == 303


def test_the_same_words_on_another_article_are_fine(app, article):
    other_article = publish_test_article(
        app, ARTICLE_SOURCE.replace("council-approves-riverside-park", "riverside-park-follow-up")
    )
    reader = client_at(app, "192.0.2.1")
    post_comment(reader, article, body="Exactly these words.")
    assert post_comment(reader, other_article, body="Exactly these words.").status_code == 303
    assert count(app) == 2


def test_a_resent_form_answers_with_its_comment_even_after_a_repeat_was_refused(app, article):
    reader = client_at(app, "192.0.2.1")
    first_form = {**comment_form(body="Exactly these words."), **page_fields(reader, article)}
    first = reader.post(f"/articles/{article}/comments", data=first_form)
    refused = post_comment(reader, article, body="Exactly these words.")
    resent = reader.post(f"/articles/{article}/comments", data=first_form)
    assert (first.status_code, refused.status_code, resent.status_code) == (303, 400, 303)
    assert resent.headers["Location"] == first.headers["Location"]
    assert count(app) == 1


def test_a_flood_from_one_ip_gets_429_with_retry_after(app, article):
    flooder = client_at(app, "198.51.100.5")
    for number in range(5):
        response = post_comment(flooder, article, email=f"x{number}@example.org", body=f"#{number}")
        assert response.status_code == 303
    response = post_comment(flooder, article, email="x9@example.org", body="One too many.")
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 61
    html = response.get_data(as_text=True)
    assert "You’ve sent a lot of comments in a short time." in html
    assert "One too many." in html
    assert count(app) == 5


def test_a_flood_from_one_email_is_stopped_across_ips(app, article):
    for number in range(5):
        client = client_at(app, f"198.51.100.{number}")
        assert post_comment(client, article, body=f"Post {number}").status_code == 303
    client = client_at(app, "198.51.100.77")
    assert post_comment(client, article, body="Post 6").status_code == 429


def test_the_daily_limit_counts_the_whole_day(make_app):
    app = make_app(COMMENTS_PER_MINUTE=100, COMMENTS_PER_DAY=3)
    slug = publish_test_article(app)
    client = app.test_client()
    for number in range(3):
        assert post_comment(client, slug, body=f"Daily {number}").status_code == 303
    response = post_comment(client, slug, body="Daily 4")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 80_000


def test_other_readers_are_not_slowed_by_a_flooder(app, article):
    flooder = client_at(app, "198.51.100.5")
    for number in range(6):
        post_comment(flooder, article, email=f"x{number}@example.org", body=f"#{number}")
    reader = client_at(app, "192.0.2.50")
    assert post_comment(reader, article, email="calm@example.org").status_code == 303


def test_ratelimit_enabled_false_switches_the_limits_off(make_app, moving_clock):
    app = make_app(RATELIMIT_ENABLED=False, COMMENT_MIN_SECONDS=3)
    slug = publish_test_article(app)
    client = app.test_client()
    for number in range(8):
        response = send_after(client, slug, 0, moving_clock, body=f"Load test {number}")
        assert response.status_code == 303
    assert count(app) == 8


def test_a_forged_forwarded_for_header_changes_nothing(app, article):
    client = client_at(app, "192.0.2.1")
    client.get(article_url(article))
    post_comment(client, article, headers={"X-Forwarded-For": "203.0.113.9"})
    assert stored(app)[0].ip_address == "192.0.2.1"


def test_a_trusted_proxy_supplies_the_client_ip(make_app):
    app = make_app(TRUSTED_PROXY_HOPS=1)
    slug = publish_test_article(app)
    client = client_at(app, "127.0.0.1")
    page = client.get(article_url(slug), headers={"X-Forwarded-For": "203.0.113.9"})
    data = {**comment_form(), **hidden_fields(page.get_data(as_text=True), client)}
    client.post(f"/articles/{slug}/comments", data=data, headers={"X-Forwarded-For": "203.0.113.9"})
    assert stored(app)[0].ip_address == "203.0.113.9"


# Held: stored as pending or spam, with the reasons moderators see.


def test_a_filled_honeypot_goes_to_spam_not_the_bin(app, article):
    response = post_comment(app.test_client(), article, homepage="http://spam.example")
    assert response.status_code == 303
    [comment] = stored(app)
    assert comment.status is CommentStatus.SPAM
    assert comment.moderation_reasons == ["honeypot"]


def test_the_honeypot_is_hidden_from_people(client, article):
    html = client.get(article_url(article)).get_data(as_text=True)
    assert '<p class="comment-extra">' in html
    assert 'name="homepage"' in html
    assert 'tabindex="-1"' in html


@pytest.mark.parametrize(
    ("settings", "fields", "status", "reasons"),
    [
        ({}, {"body": "See https://a.example and https://b.example"}, "pending", ["links:2"]),
        ({"HOLD_WORDS": ["casino"]}, {"body": "Casino night!"}, "pending", ["held_word:casino"]),
        ({"SPAM_WORDS": ["viagra"]}, {"body": "Viagra deals"}, "spam", ["spam_word:viagra"]),
        ({"SPAM_IPS": ["127.0.0.0/8"]}, {}, "spam", ["blocked_ip"]),
        ({"SPAM_EMAILS": ["@example.org"]}, {}, "spam", ["blocked_email"]),
        ({}, {"name": "Εditor"}, "pending", ["staff_name"]),
        ({}, {"body": "A perfectly ordinary comment."}, "pending", []),
    ],
)
def test_rules_hold_or_spam_with_reasons(make_app, settings, fields, status, reasons):
    app = make_app(**settings)
    slug = publish_test_article(app)
    assert post_comment(app.test_client(), slug, **fields).status_code == 303
    [comment] = stored(app)
    assert (comment.status.value, comment.moderation_reasons) == (status, reasons)


def test_a_name_like_a_moderators_is_held(app, article, moderator):
    post_comment(app.test_client(), article, name="Ѕаm")  # Cyrillic letters
    assert stored(app)[0].moderation_reasons == ["staff_name"]


def test_bad_auto_moderation_settings_stop_the_start_with_a_reason(make_app):
    with pytest.raises(RuntimeError, match="SPAM_IPS"):
        make_app(SPAM_IPS=["not-an-address"])


# Hardening of the fields.


@pytest.mark.parametrize("name", ["\u3164", "\u200b\u200b", " \u00a0 ", "\u2800", "\u0301"])
def test_a_name_of_invisible_characters_is_no_name(app, article, name):
    response = post_comment(app.test_client(), article, name=name)
    assert response.status_code == 400
    assert "Please enter your name." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "name", ["\u202eevil", "Ada\u200bLovelace", "\u2066Sam\u2069", "Sam\ufeff"]
)
def test_a_name_with_bidi_or_zero_width_characters_is_refused(app, article, name):
    response = post_comment(app.test_client(), article, name=name)
    assert response.status_code == 400
    assert "invisible formatting characters" in response.get_data(as_text=True)
    assert count(app) == 0


def test_text_is_stored_in_nfc(app, article):
    post_comment(app.test_client(), article, name="Zoe\u0308", body="Cafe\u0301 talk")
    [comment] = stored(app)
    assert comment.author_name == "Zo\u00eb"
    assert comment.body_raw == "Caf\u00e9 talk"


def test_an_emoji_with_joiners_is_fine_in_a_comment(app, article):
    body = "Our family 👩‍👩‍👧 agrees"
    assert post_comment(app.test_client(), article, body=body).status_code == 303
