"""The benchmark's floor app does what its row claims, and no less: a token per reader, the
article page's reads, and a CSRF-checked POST that stores one row. A floor that skipped any of
these would make the site look further from the stack's limit than it is."""

import sqlite3
from contextlib import closing

import pytest

from bench.floor_app import create_floor_app
from bench.floor_app import page_around_token
from tests.helpers import csrf_token_from

pytestmark = pytest.mark.usefixtures("demo_article")
SLUG = "paris-summit-ukraine-post-war-security"


@pytest.fixture
def app(make_app):
    return make_app(on_sqlite=True)


@pytest.fixture
def site_page(client, demo_article):
    return client.get(f"/articles/{demo_article}").data


@pytest.fixture
def database(app):
    return app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")


@pytest.fixture
def floor(site_page, database):
    return create_floor_app(site_page, database, SLUG, "floor-secret").test_client()


def stored_names(database: str) -> list[str]:
    with closing(sqlite3.connect(database)) as connection:
        return [row[0] for row in connection.execute("SELECT author_name FROM comments")]


def test_the_floor_serves_the_sites_page_with_a_token_of_its_own(floor, site_page):
    """Its reads run against the site's own schema: a renamed column fails here."""
    answer = floor.get("/")

    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "private, no-cache"
    assert "session=" in answer.headers["Set-Cookie"]
    before, after = page_around_token(site_page)
    assert answer.data.startswith(before) and answer.data.endswith(after)
    assert csrf_token_from(answer.data.decode()) != csrf_token_from(site_page.decode())


def test_the_floor_stores_a_comment_only_with_a_valid_token(floor, database):
    token = csrf_token_from(floor.get("/").data.decode())
    fields = {"name": "Floor Reader", "email": "floor@example.org", "body": "Just a row."}

    refused = floor.post("/", data=fields)
    accepted = floor.post("/", data={**fields, "csrf_token": token})

    assert refused.status_code == 400
    assert accepted.status_code == 303
    assert stored_names(database) == ["Floor Reader"]


def test_the_floor_answers_404_for_an_article_it_cannot_read(site_page, database):
    floor = create_floor_app(site_page, database, "no-such-article", "floor-secret").test_client()

    assert floor.get("/").status_code == 404


def test_a_page_without_a_token_is_refused_before_any_server_starts(database):
    with pytest.raises(ValueError, match="no CSRF token"):
        create_floor_app(b"<html><form></form></html>", database, SLUG, "floor-secret")


def test_a_token_from_one_worker_is_good_at_another(site_page, database):
    """gunicorn runs two floor workers; a reader's page and POST may reach different ones."""
    first = create_floor_app(site_page, database, SLUG, "shared-secret").test_client()
    second = create_floor_app(site_page, database, SLUG, "shared-secret").test_client()
    token = csrf_token_from(first.get("/").data.decode())
    second.set_cookie("session", first.get_cookie("session").value)

    answer = second.post("/", data={"name": "Across Workers", "csrf_token": token})

    assert answer.status_code == 303
    assert stored_names(database) == ["Across Workers"]
