"""A reader whose session holds only their own pending comments, answered in front of Flask:
the same status, headers and bytes as Flask's full path, and nobody else's comments."""

import time

import pytest
from flask_login.signals import user_accessed
from itsdangerous import TimestampSigner
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from werkzeug.test import Client

from app import create_app
from app import public
from app.articles import private_front
from app.comments.listing import DiscussionOrder
from app.comments.own import SESSION_KEY
from app.extensions import db
from app.models import Moderator
from tests.conftest import publish_test_article
from tests.conftest import settings_for
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import post_comment
from tests.test_page_cache import pages_of
from tests.test_page_cache import pending_everywhere  # noqa: F401  (a fixture)

# The cookie carries the time it was signed, to the second: both paths sign at this one.
SIGNED_AT = int(time.time())


@pytest.fixture(autouse=True)
def one_signing_time(monkeypatch):
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: SIGNED_AT)


def session_cookie(app, data: dict) -> str:
    """The cookie Flask would set for this session, as `name=value`."""
    value = app.session_interface.get_signing_serializer(app).dumps(data)
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def reader_of(wsgi_app, app) -> Client:
    """A client that sends the Cookie header it is given (its own jar would replace it)."""
    return Client(wsgi_app, app.response_class, use_cookies=False)


def answer_of(response) -> tuple:
    """Everything a reader gets, headers in the order sent."""
    return response.status, response.headers.to_wsgi_list(), response.get_data()


def in_front(app, path: str, cookie: str, monkeypatch, **options):
    """The answer given in front of Flask: no before-request hook may run."""

    def no_hook_may_run():
        raise AssertionError("Flask's request machinery ran")

    with monkeypatch.context() as patched:
        patched.setattr(app, "preprocess_request", no_hook_may_run)
        return reader_of(app.wsgi_app, app).get(path, headers={"Cookie": cookie}, **options)


def through_flask(app, path: str, cookie: str, **options):
    """The full path: Flask itself, behind the layer."""
    flask_itself = app.wsgi_app.wsgi_app
    return reader_of(flask_itself, app).get(path, headers={"Cookie": cookie}, **options)


def left_to_flask(app, path: str, cookie: str, monkeypatch):
    """The answer through the layer, which must have gone to Flask."""
    ran = []
    preprocess = app.preprocess_request

    def noted():
        ran.append(True)
        return preprocess()

    with monkeypatch.context() as patched:
        patched.setattr(app, "preprocess_request", noted)
        answer = reader_of(app.wsgi_app, app).get(path, headers={"Cookie": cookie})
    assert ran, "answered in front of Flask"
    return answer


@pytest.mark.parametrize("order", list(DiscussionOrder), ids=lambda order: order.name)
@pytest.mark.parametrize("visit", ["first visit", "later visits"])
def test_own_pending_comments_are_answered_in_front_as_flask_answers(
    pending_everywhere,  # noqa: F811
    order,
    visit,
    monkeypatch,
):
    app, _, pending, slugs = pending_everywhere
    # Right after posting the session holds the ids alone; Flask-Login marks it on the first
    # page read (and sends the cookie again), and the browser sends that cookie from then on.
    data = {SESSION_KEY: pending}
    if visit == "later visits":
        data["_fresh"] = False
    cookie = session_cookie(app, data)
    for slug in slugs:
        for path in pages_of(slug, order):
            full = through_flask(app, path, cookie)
            fast = in_front(app, path, cookie, monkeypatch)
            assert answer_of(fast) == answer_of(full), path
            assert fast.headers["Cache-Control"] == "private, no-cache"
            assert fast.headers["Vary"] == "Cookie"
            assert ("Set-Cookie" in fast.headers) is (visit == "first visit")


def test_the_browser_journey_ends_in_front_of_flask(app, article, monkeypatch):
    reader = app.test_client()
    post_comment(reader, article, body="Mine, awaiting a moderator.")
    assert "Mine, awaiting a moderator." in reader.get(article_url(article)).get_data(as_text=True)
    cookie = reader.get_cookie(app.config["SESSION_COOKIE_NAME"])
    again = in_front(app, article_url(article), f"{cookie.key}={cookie.value}", monkeypatch)
    assert "Mine, awaiting a moderator." in again.get_data(as_text=True)
    assert "Set-Cookie" not in again.headers


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_security_headers_are_the_full_paths_over_https_too(app, article, scheme, monkeypatch):
    own = store_comment(app, article, body="Mine, over HTTPS.")
    cookie = session_cookie(app, {SESSION_KEY: [own]})
    path, base = article_url(article), f"{scheme}://localhost"
    fast = in_front(app, path, cookie, monkeypatch, base_url=base)
    assert answer_of(fast) == answer_of(through_flask(app, path, cookie, base_url=base))
    assert ("Strict-Transport-Security" in fast.headers) is (scheme == "https")


def test_a_worker_answers_both_schemes_with_their_own_headers_page_after_page(
    app, article, monkeypatch
):
    """The headers kept after the first page are the scheme's own (HSTS only over HTTPS)."""
    own = store_comment(app, article, body="Mine, read over both.")
    cookie = session_cookie(app, {SESSION_KEY: [own], "_fresh": False})
    path = article_url(article)
    for scheme in ("https", "http", "https", "http"):
        base = f"{scheme}://localhost"
        fast = in_front(app, path, cookie, monkeypatch, base_url=base)
        assert answer_of(fast) == answer_of(through_flask(app, path, cookie, base_url=base))
        assert ("Strict-Transport-Security" in fast.headers) is (scheme == "https")


def test_a_session_changed_on_every_visit_gets_its_own_cookie_every_time(make_app, monkeypatch):
    """With SESSION_PROTECTION "strong" Flask-Login rewrites this reader's session on each
    visit: every answer sets the cookie Flask sets, none is answered from kept headers."""
    app = make_app(SESSION_PROTECTION="strong")
    slug = publish_test_article(app)
    own = store_comment(app, slug, body="Mine, strongly protected.")
    cookie = session_cookie(app, {SESSION_KEY: [own], "_fresh": False})
    for _ in range(3):
        fast = in_front(app, article_url(slug), cookie, monkeypatch)
        assert answer_of(fast) == answer_of(through_flask(app, article_url(slug), cookie))
        assert "Set-Cookie" in fast.headers


def test_a_site_that_finds_users_by_a_request_loader_is_left_to_flask(
    app, moderator, article, monkeypatch
):
    """A request loader may find a user for a request whose session names none, and the
    moderators' hooks (the idle timeout) apply to that user: Flask answers."""
    own = store_comment(app, article, body="Mine, read by a loader's user.")
    cookie = session_cookie(app, {SESSION_KEY: [own], "_fresh": False})

    def everyone_is_the_moderator(request):
        return db.session.scalar(select(Moderator).where(Moderator.username == moderator))

    monkeypatch.setattr(app.login_manager, "_request_callback", everyone_is_the_moderator)
    answer = left_to_flask(app, article_url(article), cookie, monkeypatch)
    assert answer_of(answer) == answer_of(through_flask(app, article_url(article), cookie))


def test_whoever_listens_to_flask_logins_signals_hears_the_front_as_flask(
    app, article, monkeypatch
):
    own = store_comment(app, article, body="Mine, with listeners.")
    cookie = session_cookie(app, {SESSION_KEY: [own], "_fresh": False})
    heard = []

    def listener(sender, **extra):
        heard.append(sender)

    user_accessed.connect(listener)
    try:
        in_front(app, article_url(article), cookie, monkeypatch)
        in_front_heard = len(heard)
        through_flask(app, article_url(article), cookie)
    finally:
        user_accessed.disconnect(listener)
    assert in_front_heard == 1
    assert len(heard) == 2


def test_every_page_answered_in_front_is_logged(app, article, monkeypatch, capsys):
    own = store_comment(app, article, body="Mine, logged.")
    cookie = session_cookie(app, {SESSION_KEY: [own], "_fresh": False})
    for _ in range(3):
        assert in_front(app, article_url(article), cookie, monkeypatch).status_code == 200
    lines = [line for line in capsys.readouterr().err.splitlines() if "app.requests" in line]
    assert len(lines) == 3
    assert all(f"GET {article_url(article)} 200 " in line for line in lines)


def test_an_approved_or_deleted_comment_shows_as_on_the_full_path(app, desk, article, monkeypatch):
    approved = store_comment(app, article, body="Soon approved.")
    trashed = store_comment(app, article, body="Soon in the bin.")
    waiting = store_comment(app, article, body="Still waiting.")
    cookie = session_cookie(app, {SESSION_KEY: [approved, trashed, waiting], "_fresh": False})
    desk.act(approved, "approve")
    desk.act(trashed, "trash")
    fast = in_front(app, article_url(article), cookie, monkeypatch)
    assert answer_of(fast) == answer_of(through_flask(app, article_url(article), cookie))
    page = fast.get_data(as_text=True)
    assert page.count("Soon approved.") == 1
    assert "Soon in the bin." not in page
    assert "Still waiting." in page


def test_a_reader_never_sees_another_readers_pending_comment(app, article, monkeypatch):
    mine = store_comment(app, article, body="Written by me.")
    theirs = store_comment(app, article, body="Written by someone else.")
    page = in_front(
        app, article_url(article), session_cookie(app, {SESSION_KEY: [mine]}), monkeypatch
    ).get_data(as_text=True)
    assert "Written by me." in page
    assert "Written by someone else." not in page
    other = in_front(
        app, article_url(article), session_cookie(app, {SESSION_KEY: [theirs]}), monkeypatch
    ).get_data(as_text=True)
    assert "Written by me." not in other


def foreign_key_cookie(app, data: dict) -> str:
    foreign = create_app(settings_for(app.instance_path, SECRET_KEY="somebody-elses-key"))
    return session_cookie(foreign, data)


def expired_cookie(app, data: dict, monkeypatch) -> str:
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: SIGNED_AT - lifetime - 1)
    cookie = session_cookie(app, data)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: SIGNED_AT)
    return cookie


def tampered_cookie(app, data: dict) -> str:
    name, value = session_cookie(app, data).split("=", 1)
    return f"{name}={value[:-2]}{'AA' if not value.endswith('AA') else 'BB'}"


@pytest.mark.parametrize("kind", ["tampered", "expired", "foreign key"])
def test_a_cookie_that_does_not_verify_goes_to_flask_and_shows_nothing_pending(
    app, article, kind, monkeypatch
):
    own = store_comment(app, article, body="Nobody may see this unverified.")
    data = {SESSION_KEY: [own], "_fresh": False}
    cookie = {
        "tampered": lambda: tampered_cookie(app, data),
        "expired": lambda: expired_cookie(app, data, monkeypatch),
        "foreign key": lambda: foreign_key_cookie(app, data),
    }[kind]()
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: SIGNED_AT + 10)
    answer = left_to_flask(app, article_url(article), cookie, monkeypatch)
    assert answer.status_code == 200
    assert "Nobody may see this unverified." not in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    "extra",
    [
        {"_flashes": [("message", "Thank you. A moderator will look at this comment.")]},
        {"csrf_token": "a-token"},
        {"_user_id": "1", "_fresh": True, "_id": "x"},
        {"_permanent": True},
        {"_fresh": True},
        {"two_factor_pending": {"id": 1}},
    ],
    ids=["flash", "csrf token", "login", "permanent", "fresh", "something else"],
)
def test_a_session_holding_more_than_own_comments_goes_to_flask(app, article, extra, monkeypatch):
    own = store_comment(app, article, body="Mine.")
    cookie = session_cookie(app, {SESSION_KEY: [own], **extra})
    left_to_flask(app, article_url(article), cookie, monkeypatch)


@pytest.mark.parametrize(
    "path",
    [
        "/articles/{slug}?replytocom=1",
        "/articles/{slug}?order=oldest",
        "/articles/no-such-article",
        "/",
        "/comment-policy",
    ],
)
def test_other_addresses_go_to_flask(app, article, path, monkeypatch):
    own = store_comment(app, article, body="Mine.")
    cookie = session_cookie(app, {SESSION_KEY: [own], "_fresh": False})
    left_to_flask(app, path.format(slug=article), cookie, monkeypatch)


def test_other_cookies_of_ours_and_other_methods_go_to_flask(app, article, monkeypatch):
    own = store_comment(app, article, body="Mine.")
    cookie = session_cookie(app, {SESSION_KEY: [own], "_fresh": False})
    left_to_flask(app, article_url(article), f"{cookie}; commenter=details", monkeypatch)
    left_to_flask(app, article_url(article), f"{cookie}; remember_token=1|x", monkeypatch)
    head = []
    monkeypatch.setattr(app, "preprocess_request", lambda: head.append(True))
    reader_of(app.wsgi_app, app).head(article_url(article), headers={"Cookie": cookie})
    assert head


def test_the_readers_name_and_email_never_reach_the_public_copy(app, article, monkeypatch):
    writer = app.test_client()
    post_comment(
        writer, article, name="Wilhelmina Private", email="wilhelmina@example.org", body="Held."
    )
    cookie = writer.get_cookie(app.config["SESSION_COOKIE_NAME"])
    own = in_front(app, article_url(article), f"{cookie.key}={cookie.value}", monkeypatch)
    assert "Wilhelmina Private" in own.get_data(as_text=True)
    public = app.test_client().get(article_url(article)).get_data(as_text=True)
    for private in ("Wilhelmina Private", "wilhelmina@example.org", "Held."):
        assert private not in public


def test_the_hooks_flask_runs_are_those_the_front_was_judged_against(app):
    """The front skips the before-request hooks (app/articles/private_front.py says why for
    each); a new one must be judged for this reader before it joins this list."""
    judged = [
        "note_start_time",
        "refuse_unstorable_urls",
        "note_version_before_rendering",
        "csrf_protect",
        "enforce_idle_timeout",
        "_check_request_limit",
    ]
    assert [hook.__name__ for hook in app.before_request_funcs[None]] == judged
    # Their headers are kept after the first page (the docstring judges each).
    judged_after = [
        "_log_request",
        "mark_public_or_private",
        "_update_remember_cookie",
        "__inject_headers",
        "add_security_headers",
    ]
    after = [getattr(hook, "func", hook).__name__ for hook in app.after_request_funcs[None]]
    assert after == judged_after
    assert not app.after_request_funcs.get("articles")
    assert not app.before_request_funcs.get("articles")
    # Other blueprints' (app/lazy_views.py's) never run for an article page.
    assert not app.url_value_preprocessors.get(None)
    assert not app.url_value_preprocessors.get("articles")


def test_no_get_of_an_article_page_is_rate_limited(make_app, monkeypatch):
    """Flask-Limiter is skipped in front, so no limit may apply to these GETs."""
    app = make_app(PUBLIC_POST_LIMIT="1 per minute")
    slug = publish_test_article(app)
    own = store_comment(app, slug, body="Mine.")
    cookie = session_cookie(app, {SESSION_KEY: [own], "_fresh": False})
    for _ in range(3):
        assert through_flask(app, article_url(slug), cookie).status_code == 200


def test_a_session_of_only_own_comment_ids_is_recognised():
    assert private_front.holds_only_own_comments({SESSION_KEY: [1, 2]})
    assert private_front.holds_only_own_comments({SESSION_KEY: [1], "_fresh": False})
    for refused in (
        {},
        {SESSION_KEY: []},
        {SESSION_KEY: ["1"]},
        {SESSION_KEY: [True]},
        {SESSION_KEY: 1},
        {SESSION_KEY: [1], "_fresh": True},
        {SESSION_KEY: [1], "_flashes": []},
        [1],
    ):
        assert not private_front.holds_only_own_comments(refused), refused


def test_trouble_in_front_is_left_to_flask(app, article, monkeypatch, caplog):
    own = store_comment(app, article, body="Mine, shown by Flask.")
    cookie = session_cookie(app, {SESSION_KEY: [own], "_fresh": False})
    read_page = public.published_article_with_own_pending
    calls = []

    def busy_the_first_time(slug, own_comment_ids):
        calls.append(slug)
        if len(calls) == 1:
            raise OperationalError("SELECT", {}, Exception("database is locked"))
        return read_page(slug, own_comment_ids)

    monkeypatch.setattr(public, "published_article_with_own_pending", busy_the_first_time)
    answer = left_to_flask(app, article_url(article), cookie, monkeypatch)
    assert answer.status_code == 200
    assert "Mine, shown by Flask." in answer.get_data(as_text=True)
    assert "left to Flask" in caplog.text
