"""The floor: the least an article page or a comment POST can cost on the design card's stack.

The design card fixes Flask, Flask-SQLAlchemy (and so SQLAlchemy's ORM), Flask-WTF, Flask-Login
and Flask-Limiter. This app imports all of them, so a worker's memory starts where the site's
does, but a request does only what no version of the site could leave out:

- GET: a CSRF token from Flask-WTF (so a signed session cookie), the two reads every article
  page makes (the article's version, the stored settings), and the demo article's bytes as the
  site served them, with the token put in.
- POST: Flask-WTF's CSRF check, the form read, one comment row stored in a transaction of its
  own with the site's connection settings (WAL, synchronous=FULL), and a 303.

No validation, no sanitising, no spam or flood checks, no ORM, no templates, no log line, no
security headers. The site's figures over the floor's show what those cost; a target the floor
itself misses cannot be met by any site built on this stack.

Environment: BENCH_FLOOR_PAGE (the article page's bytes), BENCH_FLOOR_DATABASE (the site's
SQLite database, which the floor reads and writes), BENCH_FLOOR_SLUG (the article's) and
SECRET_KEY, which every worker must share as the site's do.
"""

import os
import re
import sqlite3
import threading
from datetime import UTC
from datetime import datetime

# Imported though unused: they are the stack, and a worker's memory floor includes them.
import flask_limiter  # noqa: F401
import flask_login  # noqa: F401
import flask_sqlalchemy  # noqa: F401
import sqlalchemy.orm  # noqa: F401
from flask import Flask
from flask import Response
from flask import redirect
from flask import request
from flask_wtf.csrf import CSRFProtect
from flask_wtf.csrf import generate_csrf

from bench.comment_rows import INSERT_COMMENT

PAGE_ENV = "BENCH_FLOOR_PAGE"
DATABASE_ENV = "BENCH_FLOOR_DATABASE"
SLUG_ENV = "BENCH_FLOOR_SLUG"
SECRET_KEY_ENV = "SECRET_KEY"  # noqa: S105 (the variable's name, not a key)
# The site's connection settings (app/database.py). Importing them from there would load the
# whole site into the floor's memory.
SQLITE_PRAGMAS = (
    "busy_timeout=5000",
    "journal_mode=WAL",
    "synchronous=FULL",
    "foreign_keys=ON",
    "cache_size=-512",
)
# The two reads of every article page, as the site makes them (app/public.py,
# app/site_settings.py).
ARTICLE_VERSION = (
    "SELECT id, slug, comments_version, comment_mode, published_at FROM articles"
    " WHERE slug = ? AND published_at <= ?"
)
STORED_SETTINGS = "SELECT key, value FROM site_settings"
# The site's comment POST finds its article too.
ARTICLE_ID = "SELECT id FROM articles WHERE slug = ?"
_TOKEN_INPUT = re.compile(rb'(<input[^>]*name="csrf_token"[^>]*value=")[^"]*(")')


def page_around_token(page: bytes) -> tuple[bytes, bytes]:
    """The page split where its comment form's CSRF token goes."""
    found = _TOKEN_INPUT.search(page)
    if found is None:
        raise ValueError("the page has no CSRF token to replace")
    return page[: found.end(1)], page[found.start(2) :]


def create_floor_app(page: bytes, database: str, slug: str, secret_key: str) -> Flask:
    before_token, after_token = page_around_token(page)
    app = Flask(__name__)
    # The site's session and token settings (app/config.py).
    app.config.update(
        SECRET_KEY=secret_key,
        WTF_CSRF_TIME_LIMIT=86_400,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    CSRFProtect(app)
    per_thread = threading.local()

    def connection() -> sqlite3.Connection:
        if not hasattr(per_thread, "connection"):
            opened = sqlite3.connect(database, timeout=5, isolation_level=None)
            for pragma in SQLITE_PRAGMAS:
                opened.execute(f"PRAGMA {pragma}")
            per_thread.connection = opened
        return per_thread.connection

    def now() -> str:
        return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    @app.get("/")
    def article_page():
        token = generate_csrf().encode()
        reads = connection()
        article = reads.execute(ARTICLE_VERSION, (slug, now())).fetchone()
        if article is None:
            return Response("No such article.", status=404)
        reads.execute(STORED_SETTINGS).fetchall()
        response = Response(b"".join((before_token, token, after_token)), mimetype="text/html")
        response.headers["Cache-Control"] = "private, no-cache"
        return response

    @app.post("/")
    def new_comment():
        form = request.form
        writes = connection()
        article_id = writes.execute(ARTICLE_ID, (slug,)).fetchone()[0]
        row = (
            article_id,
            form.get("name", ""),
            form.get("email", ""),
            form.get("website") or None,
            form.get("body", ""),
            form.get("body", ""),
            "pending",
            now(),
            request.remote_addr,
            request.user_agent.string,
        )
        writes.execute("BEGIN IMMEDIATE")
        writes.execute(INSERT_COMMENT, row)
        writes.execute("COMMIT")
        return redirect("/", 303)

    return app


def app_from_environment() -> Flask:
    with open(os.environ[PAGE_ENV], "rb") as page:
        return create_floor_app(
            page.read(), os.environ[DATABASE_ENV], os.environ[SLUG_ENV], os.environ[SECRET_KEY_ENV]
        )
