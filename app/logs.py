"""The site's log: one line per request and per moderation action, on stderr.

Lines never carry an email address, a query string or a form field: only what an operator
needs to see what happened (method, path, status, time taken; which moderator changed which
comment). Under gunicorn and systemd, stderr ends up in the journal.
"""

import logging
import re
import sys
import time
from enum import Enum

from flask import Flask
from flask import Response
from flask import g
from flask import request
from flask.logging import default_handler
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

# Flask's app.logger, and the parent of every logging.getLogger(__name__) in the package.
SITE_LOGGER = "app"
request_logger = logging.getLogger("app.requests")
moderation_logger = logging.getLogger("app.moderation")
LINE_FORMAT = "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"
# A path can hold anything a visitor typed, an address included (/contact/ada@example.org).
# Tried only where a part of the path begins: tried at every character, a 4,000-character
# part without an "@" took 0.3 s of a worker to scan, a cheap way to tie workers up.
EMAIL_LIKE = re.compile(r"(?<![^/\s])[^/\s]*@[^/\s]*")
_COMMITTED_LATER = "moderation_log_lines"


class StandardErrorHandler(logging.StreamHandler):
    """Writes to sys.stderr as it is when a line is written (test runners swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def register(app: Flask) -> None:
    site_logger = logging.getLogger(SITE_LOGGER)
    site_logger.removeHandler(default_handler)
    if not any(isinstance(handler, StandardErrorHandler) for handler in site_logger.handlers):
        handler = StandardErrorHandler()
        handler.setFormatter(logging.Formatter(LINE_FORMAT))
        site_logger.addHandler(handler)
    site_logger.setLevel(logging.INFO)
    # One line each: Alembic's logging set-up gives the root logger a handler of its own.
    site_logger.propagate = False
    app.before_request(note_start_time)
    app.after_request(_log_request)


def note_start_time() -> None:
    """Also for the private pages answered in front of Flask (app/articles/private_front.py)."""
    g.request_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    log_request_line(request.method, request.path, response.status_code, g.get("request_started"))
    return response


def log_request_line(method: str, path: str, status: int, started: float | None) -> None:
    """Also for the answers the public-copy layer gives without Flask (app/public_copies/)."""
    took = f" {(time.perf_counter() - started) * 1000:.0f}ms" if started else ""
    request_logger.info("%s %s %s%s", method, loggable_path(path), status, took)


def loggable_path(path: str) -> str:
    """The path only (never the query string), with anything like an address blanked."""
    if "@" not in path:
        # Nearly every path: the regular expression cost more than the rest of a kept page.
        return path
    return EMAIL_LIKE.sub("[redacted]", path)


def log_moderation_action(
    comment_id: int | None,
    from_status: Enum | str | None,
    to_status: Enum | str | None,
    moderator_id: int | None,
    action: Enum | str | None = None,
) -> None:
    """Log the change once it is committed: one rolled back never happened.

    Ids only: a username may be an email address, and the comment's author certainly has one.
    """
    what = f" ({_state(action)})" if action else ""
    line = (
        f"comment {comment_id}: {_state(from_status)} -> {_state(to_status)}{what} "
        f"by moderator {moderator_id}"
    )
    db.session.info.setdefault(_COMMITTED_LATER, []).append(line)


def _state(status: Enum | str | None) -> str:
    return str(status.value if isinstance(status, Enum) else status or "none")


@event.listens_for(Session, "after_commit")
def _write_committed_actions(session: Session) -> None:
    # A released savepoint fires after_commit too; only the real commit counts.
    if session.in_nested_transaction():
        return
    for line in session.info.pop(_COMMITTED_LATER, []):
        moderation_logger.info(line)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_actions(session: Session) -> None:
    # A savepoint rolled back leaves the outer transaction's actions standing.
    if session.in_nested_transaction():
        return
    session.info.pop(_COMMITTED_LATER, None)
