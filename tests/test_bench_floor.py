"""The benchmark's floor app does what its row claims, and no less: the site's public page with
a public copy's headers, the read its revalidation needs, and a POST that checks where it came
from and its stamp, stores one row and gives the reader their session cookie. A floor that
skipped any of these would make the site look further from the stack's limit than it is."""

import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest

from app import PROJECT_ROOT
from app.comments import own
from app.comments.guard import STAMP_SALT
from app.config import DefaultSettings
from app.public_copies.policy import PRIVATE
from app.public_copies.policy import public_cache_control
from bench import floor_app
from bench import readers
from bench.floor_app import PublicPage
from bench.floor_app import create_floor_app
from bench.stamps import fresh_stamp

pytestmark = pytest.mark.usefixtures("demo_article")
SLUG = "paris-summit-ukraine-post-war-security"
SECRET = "floor-secret"


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
    return create_floor_app(site_page, database, SLUG, SECRET).test_client()


def stored_names(database: str) -> list[str]:
    with closing(sqlite3.connect(database)) as connection:
        return [row[0] for row in connection.execute("SELECT author_name FROM comments")]


def comment_fields(**overrides: str) -> dict[str, str]:
    return {
        "name": "Floor Reader",
        "email": "floor@example.org",
        "body": "Just a row.",
        "stamp": fresh_stamp(SECRET),
        **overrides,
    }


def test_the_floor_serves_the_sites_page_as_one_public_copy(floor, site_page):
    """Its read runs against the site's own schema: a renamed column fails here."""
    answer = floor.get("/")

    assert answer.status_code == 200
    assert answer.data == site_page
    assert answer.headers["Cache-Control"] == floor_app.PUBLIC_CACHE_CONTROL
    assert answer.headers["Vary"] == "Cookie"
    assert answer.headers["ETag"]
    assert "Set-Cookie" not in answer.headers


def test_the_floor_reads_the_articles_version_at_most_once_a_second():
    moments = iter([100.0, 100.5, 100.9, 101.2, 101.7])
    reads = []
    page = PublicPage(b"<p>page</p>", None, lambda: reads.append(1) or "v1", lambda: next(moments))
    sent = []

    for _ in range(5):
        body = page({"REQUEST_METHOD": "GET"}, lambda status, headers: sent.append(status))
        assert body == [b"<p>page</p>"]

    assert sent == ["200 OK"] * 5
    assert len(reads) == 2


def test_the_floor_answers_404_for_an_article_it_cannot_read(site_page, database):
    floor = create_floor_app(site_page, database, "no-such-article", SECRET).test_client()

    assert floor.get("/").status_code == 404


def test_the_floor_stores_a_comment_with_a_stamp_and_no_token(floor, database):
    answer = floor.post("/", data=comment_fields())

    assert answer.status_code == 303
    assert stored_names(database) == ["Floor Reader"]
    assert "session=" in answer.headers["Set-Cookie"]
    with floor.session_transaction() as session:
        assert session[floor_app.OWN_COMMENTS_KEY]


@pytest.mark.parametrize("stamp", ["", "forged.stamp", fresh_stamp("another-secret")])
def test_the_floor_refuses_a_comment_without_a_good_stamp(floor, database, stamp):
    answer = floor.post("/", data=comment_fields(stamp=stamp))

    assert answer.status_code == 400
    assert stored_names(database) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://elsewhere.example"},
    ],
)
def test_the_floor_refuses_a_comment_from_another_site(floor, database, headers):
    answer = floor.post("/", data=comment_fields(), headers=headers)

    assert answer.status_code == 403
    assert stored_names(database) == []


@pytest.mark.parametrize(
    "headers", [{"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://localhost"}, {}]
)
def test_the_floor_takes_a_comment_from_its_own_site_or_from_no_browser(floor, headers):
    assert floor.post("/", data=comment_fields(), headers=headers).status_code == 303


def test_a_stamp_the_benchmark_signs_is_good_at_every_floor_worker(site_page, database):
    """gunicorn runs two floor workers; they share the secret key, as the site's do."""
    first = create_floor_app(site_page, database, SLUG, "shared-secret").test_client()
    second = create_floor_app(site_page, database, SLUG, "shared-secret").test_client()
    stamp = fresh_stamp("shared-secret")

    assert first.post("/", data=comment_fields(name="One", stamp=stamp)).status_code == 303
    assert second.post("/", data=comment_fields(name="Two", stamp=stamp)).status_code == 303
    assert stored_names(database) == ["One", "Two"]


def test_the_benchmarks_copies_of_the_sites_names_agree_with_the_site():
    """The floor writes them out so as not to import the site into its memory."""
    assert public_cache_control(vars(DefaultSettings)) == readers.PUBLIC_CACHE_CONTROL
    assert PRIVATE == readers.PRIVATE_CACHE_CONTROL
    assert floor_app.STAMP_SALT == STAMP_SALT
    assert floor_app.OWN_COMMENTS_KEY == own.SESSION_KEY
    assert public_cache_control(vars(DefaultSettings)) == floor_app.PUBLIC_CACHE_CONTROL
    assert floor_app.PUBLIC_COPY_TRUST_SECONDS == DefaultSettings.PUBLIC_COPY_TRUST_SECONDS
    assert floor_app.STAMP_LIFETIME_SECONDS == DefaultSettings.WTF_CSRF_TIME_LIMIT


def test_the_floor_worker_holds_every_library_of_the_design_card():
    """Row (e) compares a site worker with this one: a library the site cannot do without
    (bleach cleans every comment) must weigh in the floor too."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, bench.floor_app; print(' '.join(sys.modules))"],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for library in ("flask", "flask_sqlalchemy", "flask_wtf", "bleach", "flask_login"):
        assert library in loaded, library
