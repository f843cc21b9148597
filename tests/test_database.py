"""Several workers writing at once: every comment stored, and a locked database is a 503."""

import sqlite3
import threading

import click
import pytest
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import select

from app.database import SQLITE_PAGE_CACHE_KIB
from app.database import transaction_will_write
from app.database import writes_in_background
from app.extensions import db
from app.models import Comment
from tests.conftest import ModeratorSession
from tests.conftest import add_test_moderator
from tests.conftest import publish_test_article
from tests.helpers import article_url
from tests.helpers import comment_form
from tests.helpers import hidden_fields
from tests.helpers import post_comment


def comment_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Comment))


def sqlite_file(app) -> str:
    with app.app_context():
        return db.engine.url.database


def test_sqlite_connections_are_set_up_for_several_workers(make_app):
    app = make_app(on_sqlite=True)
    with app.app_context():
        pragma = db.session.connection().exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA busy_timeout").scalar() == 5000
        # Each connection's page cache stays small: it is per thread, in every worker.
        assert pragma("PRAGMA cache_size").scalar() == -SQLITE_PAGE_CACHE_KIB


def test_the_busy_timeout_stays_below_gunicorns_worker_timeout(app):
    from gunicorn.config import Config

    config = Config()
    config.set("timeout", 30)
    assert app.config["SQLITE_BUSY_TIMEOUT_SECONDS"] * 3 <= config.timeout


def begins_during(app, action) -> list[str]:
    """Each BEGIN SQLite itself was sent during the action (its trace callback, on the
    connections opened for it), however the app sends it."""
    with app.app_context():
        engine = db.engine
    engine.dispose()
    seen = []

    def remember(statement: str) -> None:
        if statement.startswith("BEGIN"):
            seen.append(statement)

    def trace(dbapi_connection, connection_record) -> None:
        dbapi_connection.set_trace_callback(remember)

    event.listen(engine, "connect", trace)
    try:
        action()
    finally:
        event.remove(engine, "connect", trace)
        engine.dispose()
    return seen


def test_posts_take_the_write_lock_first_and_pages_only_read(make_app):
    app = make_app(on_sqlite=True)
    slug = publish_test_article(app)
    client = app.test_client()
    assert set(begins_during(app, lambda: client.get(article_url(slug)))) == {"BEGIN"}
    assert set(begins_during(app, lambda: post_comment(client, slug))) >= {"BEGIN IMMEDIATE"}
    assert comment_count(app) == 1


@pytest.mark.parametrize(("command", "writes"), [("resanitize", True), ("shell", False)])
def test_operator_commands_take_the_write_lock_first_but_the_shell_does_not(command, writes):
    with click.Context(click.Command(command)):
        assert transaction_will_write() is writes
    assert transaction_will_write() is False


def test_background_work_that_writes_takes_the_write_lock_first(app):
    with app.app_context():
        assert transaction_will_write() is False
        writes_in_background()
        assert transaction_will_write() is True
    with app.app_context():
        assert transaction_will_write() is False


@pytest.mark.parametrize("on_sqlite", [True, False], ids=["sqlite", "configured-database"])
def test_comments_sent_at_the_same_moment_are_all_stored(make_app, on_sqlite):
    app = make_app(on_sqlite=on_sqlite, RATELIMIT_ENABLED=False)
    slug = publish_test_article(app)
    readers, comments_each = 8, 5
    forms = []
    for reader in range(readers):
        client = app.test_client()
        for number in range(comments_each):
            page = client.get(article_url(slug)).get_data(as_text=True)
            body = f"Reader {reader}, comment {number}"
            email = f"reader{reader}@example.org"
            forms.append(
                (client, {**comment_form(body=body, email=email), **hidden_fields(page, client)})
            )
    start = threading.Barrier(len(forms))
    statuses = []

    def send(client, data):
        start.wait()
        statuses.append(client.post(f"/articles/{slug}/comments", data=data).status_code)

    threads = [threading.Thread(target=send, args=form) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * len(forms)
    assert comment_count(app) == len(forms)


@pytest.fixture
def locked_site(make_app):
    """An SQLite site whose database another process holds the write lock of."""
    app = make_app(on_sqlite=True, SQLITE_BUSY_TIMEOUT_SECONDS=0.2)
    slug = publish_test_article(app)
    other_writer = sqlite3.connect(sqlite_file(app), isolation_level=None)
    yield app, slug, other_writer
    other_writer.close()


def test_a_comment_that_finds_the_database_locked_comes_back_with_its_text(locked_site):
    app, slug, other_writer = locked_site
    client = app.test_client()
    page = client.get(article_url(slug)).get_data(as_text=True)
    form = {
        **comment_form(body="Words I do not want to type twice."),
        **hidden_fields(page, client),
    }

    other_writer.execute("BEGIN IMMEDIATE")
    response = client.post(f"/articles/{slug}/comments", data=form)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    html = response.get_data(as_text=True)
    assert "couldn’t save your comment just now" in html
    assert "Words I do not want to type twice." in html
    assert comment_count(app) == 0

    other_writer.execute("COMMIT")
    assert client.post(f"/articles/{slug}/comments", data=form).status_code == 303
    assert comment_count(app) == 1


def test_any_other_write_that_finds_the_database_locked_is_a_503(locked_site):
    app, slug, other_writer = locked_site
    add_test_moderator(app)
    desk = ModeratorSession(app.test_client())
    assert desk.log_in().status_code == 303
    desk.token()
    other_writer.execute("BEGIN IMMEDIATE")
    response = desk.client.post("/auth/logout", data={"csrf_token": desk.token()})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Busy right now" in response.get_data(as_text=True)
    other_writer.execute("COMMIT")
