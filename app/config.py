"""Settings: safe defaults here, then instance/config.py, then the environment.

Every setting can be given as an environment variable ``FLASK_<NAME>`` (values are
parsed as JSON when they can be, so ``FLASK_MODERATION_PAGE_SIZE=25`` is a number).
``SECRET_KEY``, ``DATABASE_URL``, ``REDIS_URL``, ``AKISMET_API_KEY`` and the ``MAIL_...`` server
settings are also read without the prefix, because that is how hosting platforms hand them over.
"""

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

from flask import Flask

SECRET_KEY_FILENAME = "secret_key"  # noqa: S105  (a file name, not a secret)
SQLITE_FILENAME = "newsroom.sqlite3"
UNPREFIXED_ENVIRONMENT_SETTINGS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USE_TLS",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_FROM",
    "AKISMET_API_KEY",
)


class DefaultSettings:
    """The defaults; the README's settings table lists each of these."""

    SITE_NAME = "The Morning Ledger"
    SITE_DESCRIPTION = "News and analysis, with reader comments checked by our moderators."
    # The public address (scheme and host, e.g. "https://news.example.com") used in canonical
    # links, feeds and the sitemap. None means the address of each request, which is only
    # right when the server sees the Host header readers used.
    SITE_URL: str | None = None
    TIMEZONE = "UTC"

    # Markdown files with a front-matter header; None means the text shipped in app/site/text/.
    # A relative path is read from the instance folder.
    COMMENT_POLICY_FILE: str | None = None
    PRIVACY_NOTICE_FILE: str | None = None

    # None means an SQLite file in the instance folder.
    DATABASE_URL: str | None = None
    # None means: read instance/secret_key, which `make serve` creates.
    SECRET_KEY: str | None = None
    # How long an SQLite write waits for another worker's write to finish before the reader
    # gets a 503 to retry; keep it well below gunicorn's 30-second worker timeout.
    SQLITE_BUSY_TIMEOUT_SECONDS = 5

    MODERATION_PAGE_SIZE = 50
    # The emergency switch for the whole site, and automatic closing (0: never).
    COMMENTS_ENABLED = True
    COMMENTS_CLOSE_AFTER_DAYS = 0
    # Comments per page, replies included, and how deep a reply to a reply may go.
    COMMENTS_PER_PAGE = 50
    # How many Editors' picks the article page shows above the discussion, newest pick first.
    EDITORS_PICKS_SHOWN = 5
    # Rendered article pages (and thread orders) each worker keeps; a page is ~60 KB.
    PAGE_CACHE_SIZE = 64
    # One public copy of each page for readers without our cookies (app/public_copies/):
    # how long shared caches (nginx, a CDN) may keep it, how long more they may serve it
    # while they fetch a new one, and how long a worker trusts its own copy before it asks
    # the database whether anything changed.
    PUBLIC_CACHE_SECONDS = 10
    PUBLIC_CACHE_STALE_SECONDS = 30
    PUBLIC_COPY_TRUST_SECONDS = 1.0
    # Other sites allowed to send the readers' forms (comment, report, privacy request), as
    # origins like "https://www.example.com". Every other site's POST is refused.
    TRUSTED_ORIGINS: tuple[str, ...] = ()
    COMMENT_THREAD_DEPTH = 3

    # How many reverse proxies in front of the site set X-Forwarded-*; 0 believes none.
    TRUSTED_PROXY_HOPS = 0

    # State the app machines must share that is not in the database (the burst guard's
    # counters). None: each process keeps its own, and no Redis is needed.
    REDIS_URL: str | None = None

    # Spam and flood defence. RATELIMIT_ENABLED=false switches off every limit and flood
    # check (for load tests only).
    RATELIMIT_ENABLED = True
    # Requests per IP address to the public forms (comments, login), whatever their content:
    # a coarse guard against bursts, in Flask-Limiter's notation.
    PUBLIC_POST_LIMIT = "30 per minute"
    COMMENT_MIN_SECONDS = 3
    COMMENTS_PER_MINUTE = 5
    COMMENTS_PER_DAY = 50
    LOGIN_FAILURES_PER_ACCOUNT = 5
    LOGIN_FAILURES_PER_IP = 20
    LOGIN_LOCKOUT_MINUTES = 15
    REPORTS_PER_HOUR = 10

    # Auto-moderation defaults (the desk's admin settings page overrides them).
    HOLD_LINK_COUNT = 2
    HOLD_WORDS: tuple[str, ...] = ()
    SPAM_WORDS: tuple[str, ...] = ()
    SPAM_IPS: tuple[str, ...] = ()
    SPAM_EMAILS: tuple[str, ...] = ()
    STAFF_NAMES = ("Editor", "Moderator", "Admin", "Administrator", "Staff", "Newsroom")
    # The spam filter that learns from moderators' decisions (app/spam_filter/). It scores
    # nothing until it has learned this many decisions of each kind (spam and good).
    SPAM_FILTER_MIN_DECISIONS = 50
    # A score at or above this holds the comment ("likely spam (97%)"); None: never.
    SPAM_FILTER_HOLD_AT: float | None = 0.9
    # At or above this it goes straight to the Spam queue; None (the default): never.
    SPAM_FILTER_SPAM_AT: float | None = None

    # Email (app/mail/). Without MAIL_SERVER, messages are written to a file in the instance
    # folder instead, so a new site shows what it would have sent. Unprefixed environment
    # values are text: app/mail/settings.py reads "587" and "false" as a number and a switch.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    # STARTTLS on MAIL_PORT; port 465 speaks TLS from the first byte instead.
    MAIL_USE_TLS = True
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    # Required with MAIL_SERVER, e.g. "The Morning Ledger <newsroom@news.example.com>".
    MAIL_FROM: str | None = None
    MAIL_TIMEOUT_SECONDS = 10
    # After a request queues mail, one background thread of that worker sends it at once;
    # false leaves all sending to `flask send-mail` (cron), which also retries failures.
    MAIL_SEND_IN_BACKGROUND = True
    MAIL_DIGEST_MINUTES = 60
    MAIL_KEEP_SENT_DAYS = 7
    # Publish at once a comment no rule held, from a confirmed address with a
    # moderator-approved comment, sent from the browser that confirmed it.
    TRUSTED_AUTHORS_AUTO_APPROVE = False

    # Akismet's optional second opinion (app/second_opinion.py), off without a key. With one
    # (and SITE_URL), each new comment is sent to Akismet after the reader's request, and the
    # decisions of moderators that correct it are reported back; the README says what goes.
    AKISMET_API_KEY: str | None = None
    # Only tests (a local server speaking Akismet's protocol) change this.
    AKISMET_API_URL = "https://rest.akismet.com"
    AKISMET_TIMEOUT_SECONDS = 5
    # After the commit, one background thread of that worker talks to Akismet; false makes
    # the request itself wait for the answer (tests, and trying a key out).
    AKISMET_IN_BACKGROUND = True

    MODERATOR_IDLE_MINUTES = 60
    REQUIRE_ADMIN_TWO_FACTOR = False
    IP_RETENTION_DAYS = 90

    # A reader may leave the article open for hours before commenting.
    WTF_CSRF_TIME_LIMIT = int(timedelta(days=1).total_seconds())
    MAX_CONTENT_LENGTH = 128 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)


class MissingSecretKey(RuntimeError):
    pass


def load_settings(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill app.config in the documented order; `overrides` (tests, tools) win last."""
    app.config.from_object(DefaultSettings)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    for name in UNPREFIXED_ENVIRONMENT_SETTINGS:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    if overrides:
        app.config.update(overrides)

    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app)
    # A database error's message would otherwise quote the statement's values, a commenter's
    # email among them, into the log.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "hide_parameters": True,
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }
    app.config["SITE_TIMEZONE"] = site_timezone(app.config["TIMEZONE"])
    app.config["SITE_URL"] = site_url(app.config.get("SITE_URL"))
    app.config["TRUSTED_ORIGINS"] = trusted_origins(app.config["TRUSTED_ORIGINS"])
    type_settings(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key_for(app)


def database_uri(app: Flask) -> str:
    url = app.config.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(app.instance_path) / SQLITE_FILENAME}"
    # Some platforms still hand out the pre-SQLAlchemy-1.4 scheme.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


def site_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise RuntimeError(
            f"TIMEZONE={name!r} is not a timezone name; use one like 'Europe/London'."
        ) from error


def site_url(value: str | None) -> str | None:
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path not in {"", "/"}:
        raise RuntimeError(
            f"SITE_URL={value!r} must be a scheme and host only, like 'https://news.example.com'."
        )
    return f"{parts.scheme}://{parts.netloc}"


# Settings that arrive as text from an environment ("false", "587") are typed here, once,
# so no other module parses them; a value that is neither fails the start, naming it.
SWITCHES = (
    "COMMENTS_ENABLED",
    "MAIL_USE_TLS",
    "MAIL_SEND_IN_BACKGROUND",
    "TRUSTED_AUTHORS_AUTO_APPROVE",
    "AKISMET_IN_BACKGROUND",
    "REQUIRE_ADMIN_TWO_FACTOR",
    "RATELIMIT_ENABLED",
    "SESSION_COOKIE_SECURE",
)
WHOLE_NUMBERS = (
    "MAIL_PORT",
    "MAIL_TIMEOUT_SECONDS",
    "MAIL_DIGEST_MINUTES",
    "MAIL_KEEP_SENT_DAYS",
    "AKISMET_TIMEOUT_SECONDS",
    "COMMENTS_CLOSE_AFTER_DAYS",
    "COMMENTS_PER_PAGE",
    "COMMENT_THREAD_DEPTH",
    "MODERATION_PAGE_SIZE",
    "PAGE_CACHE_SIZE",
    "PUBLIC_CACHE_SECONDS",
    "PUBLIC_CACHE_STALE_SECONDS",
)
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


class SettingError(RuntimeError):
    pass


def as_switch(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingError(f"{name}={value!r} must be true or false.")


def as_number(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise SettingError(f"{name}={value!r} must be a whole number.")
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise SettingError(f"{name}={value!r} must be a whole number.") from error


def type_settings(config: dict) -> None:
    for name in SWITCHES:
        config[name] = as_switch(name, config.get(name))
    for name in WHOLE_NUMBERS:
        config[name] = as_number(name, config.get(name))


def origin_of(value: str) -> str | None:
    """scheme://host[:port] in lower case, without a default port; None if it is not one."""
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default_port = 443 if parts.scheme == "https" else 80
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default_port else "")


def trusted_origins(value: str | list[str] | tuple[str, ...]) -> frozenset[str]:
    """A list, or one string of origins separated by spaces (as an environment gives it)."""
    given = value.split() if isinstance(value, str) else list(value)
    origins = {}
    for item in given:
        origin = origin_of(item)
        if origin is None or urlsplit(item.strip()).path not in {"", "/"}:
            raise RuntimeError(
                f"TRUSTED_ORIGINS: {item!r} must be a scheme and host only, "
                "like 'https://www.example.com'."
            )
        origins[item] = origin
    return frozenset(origins.values())


def secret_key_for(app: Flask) -> str:
    key_file = Path(app.instance_path) / SECRET_KEY_FILENAME
    if key_file.is_file():
        key = key_file.read_text().strip()
        if key:
            return key
    if app.config.get("TESTING") or app.config.get("DEBUG"):
        # Sessions will not survive a restart, which is fine for these two.
        return secrets.token_hex(32)
    raise MissingSecretKey(
        "No secret key is configured. Set the SECRET_KEY environment variable "
        "(the same value on every machine that serves the site), or create "
        f"{key_file} with `python -m app.secret_key` (`make serve` does this for you)."
    )
