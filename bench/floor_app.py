"""The floor: the least an article page or a comment POST can cost on the design card's stack.

The design card fixes Flask, Flask-SQLAlchemy (and so SQLAlchemy's ORM), Flask-WTF and bleach
(every comment is sanitised with it), and the site adds Flask-Login and Flask-Limiter. This app
imports all of them, so a worker's memory starts where the site's does, but a request does
only what no version of the site's design (one public copy of each page, reader forms without
a token) could leave out:

- GET, a new reader: the demo article's bytes as the site served them to a new reader, sent
  by a bare WSGI callable in front of Flask (no request context, no session) with a public
  copy's headers (Cache-Control public with s-maxage, an ETag, Vary: Cookie). The only read is
  the one a kept copy's revalidation needs, the article's version, at most once per
  PUBLIC_COPY_TRUST_SECONDS in each worker, as the site's layer asks its version.
- POST, through Flask: the Fetch Metadata and Origin check, the form read, the stamp's
  signature and age checked (itsdangerous, as the site signs it; no CSRF token, no session
  read), one comment row stored in a transaction of its own with the site's connection settings
  (WAL, synchronous=FULL), the new comment's id put in the reader's session cookie (how they
  see it awaiting moderation), and a 303.

No validation, no sanitising, no spam or flood checks, no ORM, no templates, no log line, no
security headers, no 304s, no private page. The site's figures over the floor's show what
those cost; a target the floor itself misses cannot be met by any site built on this stack.

Environment: BENCH_FLOOR_PAGE (the article page's bytes), BENCH_FLOOR_DATABASE (the site's
SQLite database, which the floor reads and writes), BENCH_FLOOR_SLUG (the article's) and
SECRET_KEY, which every worker must share as the site's do (stamps and sessions are signed).
"""

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from collections.abc import Iterable
from datetime import UTC
from datetime import datetime

# Imported though unused: they are the stack, and a worker's memory floor includes them.
import bleach  # noqa: F401
import flask_limiter  # noqa: F401
import flask_login  # noqa: F401
import flask_sqlalchemy  # noqa: F401
import flask_wtf  # noqa: F401
import sqlalchemy.orm  # noqa: F401
from flask import Flask
from flask import Response
from flask import redirect
from flask import request
from flask import session
from itsdangerous import BadSignature
from itsdangerous import TimestampSigner

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
# The site's names and defaults (app/comments/guard.py, app/comments/own.py, app/config.py),
# written out for the same reason; tests/test_bench_floor.py checks they agree.
STAMP_SALT = "comment-form-stamp"
OWN_COMMENTS_KEY = "own_comment_ids"
STAMP_LIFETIME_SECONDS = 86_400
PUBLIC_COPY_TRUST_SECONDS = 1.0
PUBLIC_CACHE_CONTROL = "public, max-age=0, s-maxage=10, stale-while-revalidate=30"
ACCEPTED_FETCH_SITES = frozenset({"same-origin", "none"})
# A kept copy's revalidation: one statement, the article's version (the site's layer reads
# every public page's version and the stored settings, also once a second: app/public.py).
ARTICLE_VERSION = (
    "SELECT id, slug, comments_version, comment_mode, published_at FROM articles"
    " WHERE slug = ? AND published_at <= ?"
)
# The site's comment POST finds its article too.
ARTICLE_ID = "SELECT id FROM articles WHERE slug = ?"


class PublicPage:
    """The WSGI callable in front of Flask: a GET gets the kept bytes, anything else Flask."""

    def __init__(
        self,
        page: bytes,
        wsgi_app: Callable,
        read_version: Callable[[], object],
        clock: Callable[[], float] = time.monotonic,
    ):
        self.page = page
        self.wsgi_app = wsgi_app
        self.read_version = read_version
        self.clock = clock
        self.headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(page))),
            ("Cache-Control", PUBLIC_CACHE_CONTROL),
            ("Vary", "Cookie"),
            ("ETag", '"' + hashlib.blake2b(page, digest_size=16).hexdigest() + '"'),
        ]
        self._version: object = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET":
            return self.wsgi_app(environ, start_response)
        if self.version() is None:
            start_response("404 NOT FOUND", [("Content-Type", "text/plain")])
            return [b"No such article."]
        start_response("200 OK", self.headers)
        return [self.page]

    def version(self) -> object:
        now = self.clock()
        if now - self._checked_at < PUBLIC_COPY_TRUST_SECONDS:
            return self._version
        with self._lock:
            # Another thread may have read it while this one waited.
            if now - self._checked_at >= PUBLIC_COPY_TRUST_SECONDS:
                self._version = self.read_version()
                self._checked_at = now
            return self._version


def sent_from_another_site() -> bool:
    """The site's reader-form check (app/cross_origin.py), in its simplest form."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site not in ACCEPTED_FETCH_SITES
    origin = request.headers.get("Origin")
    return origin is not None and origin != request.host_url.rstrip("/")


def create_floor_app(page: bytes, database: str, slug: str, secret_key: str) -> Flask:
    app = Flask(__name__)
    # The site's session settings (app/config.py).
    app.config.update(
        SECRET_KEY=secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    stamps = TimestampSigner(secret_key, salt=STAMP_SALT)
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

    def article_version():
        return connection().execute(ARTICLE_VERSION, (slug, now())).fetchone()

    @app.post("/")
    def new_comment():
        if sent_from_another_site():
            return Response("Sent from another site.", status=403)
        form = request.form
        try:
            stamps.unsign(form.get("stamp", ""), max_age=STAMP_LIFETIME_SECONDS)
        except BadSignature:
            return Response("Please send it again.", status=400)
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
        comment_id = writes.execute(INSERT_COMMENT, row).lastrowid
        writes.execute("COMMIT")
        session[OWN_COMMENTS_KEY] = [comment_id]
        return redirect("/", 303)

    app.wsgi_app = PublicPage(page, app.wsgi_app, article_version)
    return app


def app_from_environment() -> Flask:
    with open(os.environ[PAGE_ENV], "rb") as page:
        return create_floor_app(
            page.read(), os.environ[DATABASE_ENV], os.environ[SLUG_ENV], os.environ[SECRET_KEY_ENV]
        )
