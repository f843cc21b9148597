"""One public copy of each page: the same bytes for every new reader, kept by us and by caches."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy import update

from app.extensions import db
from app.models import Article
from app.models import CommentStatus
from app.models import Moderator
from app.models import utcnow
from app.public_copies import public_copies_of
from tests.conftest import ModeratorSession
from tests.conftest import add_test_moderator
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import post_comment

PUBLIC_PATHS = [
    "/",
    "/articles/{slug}",
    "/articles/{slug}?page=2",
    "/feeds/articles.atom",
    "/feeds/articles/{slug}/comments.atom",
    "/comment-policy",
    "/privacy",
    "/robots.txt",
    "/sitemap.xml",
]
PUBLIC_CACHE_CONTROL = "public, max-age=0, s-maxage=10, stale-while-revalidate=30"


@pytest.fixture
def busy_article(app, article):
    """An article with two pages of approved comments."""
    for number in range(app.config["COMMENTS_PER_PAGE"] + 3):
        store_comment(app, article, status=CommentStatus.APPROVED, body=f"Approved {number}.")
    return article


def answer_of(response) -> tuple:
    return response.status_code, sorted(response.headers.items()), response.get_data()


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_two_new_readers_get_the_same_bytes_and_no_cookie(app, busy_article, path):
    path = path.format(slug=busy_article)
    first = app.test_client().get(path)
    second = app.test_client().get(path)
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    for response in (first, second):
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"] == PUBLIC_CACHE_CONTROL
        assert "Cookie" in response.headers["Vary"]
        assert response.headers["ETag"].startswith('"')
        assert response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_the_kept_copy_answers_exactly_as_the_full_path_did(app, busy_article, path):
    path = path.format(slug=busy_article)
    made_by_flask = app.test_client().get(path)
    kept = app.test_client().get(path)
    assert answer_of(kept) == answer_of(made_by_flask)
    public_copies_of(app).clear()
    made_again = app.test_client().get(path)
    assert answer_of(made_again) == answer_of(made_by_flask)


def test_the_kept_copy_is_served_without_flask(app, article, monkeypatch):
    reader = app.test_client()
    first = reader.get(article_url(article))

    def no_view_may_run(*args, **kwargs):
        raise AssertionError("the view ran")

    monkeypatch.setitem(app.view_functions, "articles.show", no_view_may_run)
    assert reader.get(article_url(article)).get_data() == first.get_data()


def test_a_reader_whose_copy_is_current_gets_304(app, article):
    reader = app.test_client()
    etag = reader.get(article_url(article)).headers["ETag"]
    again = reader.get(article_url(article), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == PUBLIC_CACHE_CONTROL
    public_copies_of(app).clear()
    made_again = reader.get(article_url(article), headers={"If-None-Match": f"W/{etag}"})
    assert made_again.status_code == 304


def test_a_stale_etag_gets_the_new_page(app, desk, article):
    reader = app.test_client()
    etag = reader.get(article_url(article)).headers["ETag"]
    comment_id = store_comment(app, article, body="Now approved.")
    desk.act(comment_id, "approve")
    fresh = reader.get(article_url(article), headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert "Now approved." in fresh.get_data(as_text=True)


def test_head_has_the_headers_of_get_and_no_body(app, article):
    get = app.test_client().get(article_url(article))
    public_copies_of(app).clear()
    for _ in range(2):  # made by Flask, then kept
        head = app.test_client().head(article_url(article))
        assert head.status_code == 200
        assert head.get_data() == b""
        assert sorted(head.headers.items()) == sorted(get.headers.items())


def test_a_reader_with_our_cookie_gets_a_private_page(app, article):
    reader = app.test_client()
    post_comment(reader, article, body="My own words, awaiting a moderator.")
    page = reader.get(article_url(article))
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert "Cookie" in page.headers["Vary"]
    assert "My own words, awaiting a moderator." in page.get_data(as_text=True)


def test_a_moderator_gets_a_private_page(app, desk, article):
    page = desk.client.get(article_url(article))
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert "Log out sam" in page.get_data(as_text=True)


def test_nothing_of_a_reader_lands_in_the_public_copy(app, article):
    writer = app.test_client()
    post_comment(
        writer,
        article,
        name="Wilhelmina Private",
        email="wilhelmina@example.org",
        body="Held until a moderator reads it.",
        remember="y",
    )
    approved = store_comment(app, article, status=CommentStatus.APPROVED)
    writer.post(f"/comments/{approved}/report", data={"reason": "spam"})
    # The writer's own pages carry all of it, privately ...
    own = writer.get(article_url(article)).get_data(as_text=True)
    assert "Held until a moderator reads it." in own
    assert "Thank you. A moderator will look at this comment." in own
    # ... and nothing of it reaches the copy every new reader gets.
    for path in ("/", article_url(article), f"/feeds/articles/{article}/comments.atom"):
        public = app.test_client().get(path).get_data(as_text=True)
        for private in (
            "Held until a moderator reads it.",
            "Wilhelmina Private",
            "wilhelmina@example.org",
            "Thank you. A moderator will look at this comment.",
            "awaiting moderation",
        ):
            assert private not in public, (path, private)


def test_an_approved_comment_reaches_a_new_reader_at_once_on_the_same_worker(app, desk, article):
    app.test_client().get(article_url(article))
    comment_id = store_comment(app, article, body="Approved a moment ago.")
    desk.act(comment_id, "approve")
    page = app.test_client().get(article_url(article)).get_data(as_text=True)
    assert "Approved a moment ago." in page


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def two_workers(make_app):
    """Two apps on one database are two workers: each keeps its own copies. The first reads,
    on a clock the test moves; the other writes."""
    reading_worker = make_app(PUBLIC_COPY_TRUST_SECONDS=1)
    article = publish_test_article(reading_worker)
    writing_worker = make_app(DATABASE_URL=reading_worker.config["SQLALCHEMY_DATABASE_URI"])
    clock = Clock()
    public_copies_of(reading_worker)._clock = clock
    return reading_worker, writing_worker, article, clock


def test_another_worker_shows_an_approval_within_the_trust_period(make_app):
    reading_worker, desk_worker, article, clock = two_workers(make_app)
    reader = reading_worker.test_client()
    assert "Seen within a second." not in reader.get(article_url(article)).get_data(as_text=True)

    comment_id = store_comment(desk_worker, article, body="Seen within a second.")
    add_test_moderator(desk_worker)
    moderator = ModeratorSession(desk_worker.test_client())
    moderator.log_in()
    assert moderator.act(comment_id, "approve").status_code == 303

    clock.now += 0.5  # still trusted: the old copy, as the README says
    assert "Seen within a second." not in reader.get(article_url(article)).get_data(as_text=True)
    clock.now += 0.6  # past PUBLIC_COPY_TRUST_SECONDS: the worker asks, and renews it
    assert "Seen within a second." in reader.get(article_url(article)).get_data(as_text=True)


def switch_comments_off(worker) -> None:
    """As an admin on the settings page: the site switch unticked."""
    add_test_moderator(worker, username="ada")
    with worker.app_context():
        db.session.scalar(select(Moderator).where(Moderator.username == "ada")).is_admin = True
        db.session.commit()
    admin = ModeratorSession(worker.test_client())
    admin.log_in("ada")
    fields = {"hold_link_count": "2", "comments_close_after_days": "0"}
    response = admin.client.post("/admin/settings", data={"csrf_token": admin.token(), **fields})
    assert response.status_code == 303


def test_a_commenter_sees_the_site_switched_off_at_once_on_the_same_worker(app, article):
    commenter = app.test_client()
    post_comment(commenter, article, body="Mine, awaiting a moderator.")
    assert 'class="comment-form"' in commenter.get(article_url(article)).get_data(as_text=True)
    switch_comments_off(app)
    page = commenter.get(article_url(article)).get_data(as_text=True)
    assert "Comments are switched off across the site" in page
    assert 'class="comment-form"' not in page
    assert "Mine, awaiting a moderator." in page


def test_another_worker_switching_comments_off_reaches_a_commenter_within_the_trust_period(
    make_app,
):
    reading_worker, admin_worker, article, clock = two_workers(make_app)
    commenter = reading_worker.test_client()
    post_comment(commenter, article, body="Mine, awaiting a moderator.")
    assert 'class="comment-form"' in commenter.get(article_url(article)).get_data(as_text=True)

    switch_comments_off(admin_worker)

    clock.now += 0.5  # still trusted, as the README says
    assert 'class="comment-form"' in commenter.get(article_url(article)).get_data(as_text=True)
    clock.now += 0.6  # past PUBLIC_COPY_TRUST_SECONDS
    page = commenter.get(article_url(article)).get_data(as_text=True)
    assert "Comments are switched off across the site" in page
    assert "Mine, awaiting a moderator." in page


def test_addresses_with_other_parameters_are_answered_but_not_kept(app, article):
    copies = public_copies_of(app)
    for number in range(5):
        response = app.test_client().get(f"{article_url(article)}?utm_source=campaign{number}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == PUBLIC_CACHE_CONTROL
    assert len(copies._copies) == 0
    app.test_client().get(article_url(article))
    assert len(copies._copies) == 1


def test_the_kept_copies_are_bounded(make_app):
    app = make_app(PAGE_CACHE_SIZE=2)
    article = publish_test_article(app)
    for path in ("/", article_url(article), "/privacy", "/comment-policy"):
        app.test_client().get(path)
    assert len(public_copies_of(app)._copies) == 2


def test_a_scheduled_article_appears_when_its_time_comes_without_any_write(app, article):
    with app.app_context():
        db.session.execute(update(Article).values(published_at=utcnow() + timedelta(seconds=1)))
        db.session.commit()
    assert "Riverside Park" not in app.test_client().get("/").get_data(as_text=True)
    time.sleep(1.2)  # past its publication time and past the worker's trust period
    assert "Riverside Park" in app.test_client().get("/").get_data(as_text=True)


def test_a_page_that_sets_a_cookie_is_never_one_copy_for_all(app, article, caplog):
    """Should anything ever set a cookie on a public page, that reader's cookie stays theirs."""

    @app.after_request
    def set_a_cookie(response):
        response.set_cookie("someone", "theirs")
        return response

    first = app.test_client().get(article_url(article))
    second = app.test_client().get(article_url(article))
    for response in (first, second):
        assert response.headers["Cache-Control"] == "private, no-cache"
        assert "ETag" not in response.headers
    assert len(public_copies_of(app)._copies) == 0
    assert "set a cookie" in caplog.text
