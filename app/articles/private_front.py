"""A reader whose session holds only their own comments awaiting moderation, answered in
front of Flask's request machinery (the public-copy layer asks, app/public_copies/layer.py).

After posting, a reader carries the session cookie until a moderator decides, and every
article page they read is private: the kept page with their own comments put in. The view
that does that is cheap; the hooks around it are most of the cost, and for this reader they
do nothing. So the session is read as Flask reads it (the app's own session interface and
signing serializer, the same max_age), the article view runs inside a request context, and
the answer's headers are Flask's own. The before-request hooks are left out, and each was
judged for this reader:

- the start time for the log line: noted here;
- the refusal of NUL in the address: such an address goes to Flask;
- the public pages' version note: only for readers without our cookies;
- Flask-WTF's token check: only for POSTs;
- the moderators' idle timeout: this reader is not logged in (Flask-Login's first look at
  the session happens in the view instead, with the same effect on the cookie, or is
  settled here when it can only end as anonymous; a site whose request or header loader
  could find a user goes to Flask);
- Flask-Limiter: no limit applies to a GET of an article page (app/rate_limits.py).

The after-request hooks and the session's saving run on the first such page a worker makes
(per scheme), and their headers are kept: for this reader they decide the same ones every
time, but for the body's length. Judged hook by hook:

- the log line: written here, as the hook writes it;
- public or private: this reader carries our cookie, so always private, `Vary: Cookie`;
- Flask-Login's remember-me cookie: nothing to do without `_remember` in the session;
- Flask-Limiter's headers: none, no limit applies (above);
- the security headers: the same, but for HSTS, which follows the scheme (kept apart);
- the session's saving: nothing while unchanged (`Vary: Cookie` once read, kept apart). A
  view that changes the session (Flask-Login marking it on the first visit) goes through
  the hooks, and an answer that sets a cookie is never kept.

tests/test_private_front.py pins both lists. A session holding anything else (a flash
message, a form token, a login, a pending sign-in), an address that is not an article page
in a kept form (a reply, ?order=oldest), a page that is not there, a cookie that does not
verify: all go to Flask.
"""

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask import g
from flask import request
from flask import session
from flask.ctx import RequestContext
from flask_login.signals import session_protected
from flask_login.signals import user_accessed
from itsdangerous import BadSignature
from werkzeug.exceptions import HTTPException

from app.comments.own import SESSION_KEY
from app.logs import log_request_line
from app.logs import note_start_time
from app.public_copies.layer import PrivateAnswer
from app.public_copies.policy import is_kept_query

logger = logging.getLogger(__name__)
ARTICLE_ENDPOINT = "articles.show"
# Flask-Login's mark on a session it has looked at without a login: always False here.
FRESH_KEY = "_fresh"
HEADERS_KEY = "private_front.headers"


def answer_in_front(app: Flask, environ: dict, session_cookie: str) -> PrivateAnswer | None:
    """The answer Flask would give this GET, or None: then Flask must answer it."""
    if "\x00" in environ.get("PATH_INFO", "") or not is_kept_query(environ.get("QUERY_STRING", "")):
        return None
    if not flask_login_can_only_find_nobody(app):
        return None
    data = reader_session(app, session_cookie)
    if data is None:
        return None
    interface = app.session_interface
    context = RequestContext(app, environ, session=interface.session_class(data))
    context.push()
    try:
        if request.routing_exception is not None or request.endpoint != ARTICLE_ENDPOINT:
            return None
        note_start_time()
        if data.get(FRESH_KEY) is False and flask_logins_look_changes_nothing(app):
            app.login_manager._update_request_context_with_user()  # noqa: SLF001
        return article_page(app)
    except Exception:
        # Flask meets the same trouble and answers it as it answers any other (a 503, a 500).
        logger.warning("The private page was left to Flask", exc_info=True)
        return None
    finally:
        context.pop()


def flask_login_can_only_find_nobody(app: Flask) -> bool:
    """This reader's session names no user and they send no remember-me cookie; only a
    request or header loader could still find one (and then the moderators' hooks apply)."""
    manager = app.login_manager
    return manager._request_callback is None and manager._header_callback is None  # noqa: SLF001


def flask_logins_look_changes_nothing(app: Flask) -> bool:
    """Whether Flask-Login's first look at a session already marked not fresh ends as
    anonymous with nothing changed and nobody told.

    Then the front gives the anonymous user as Flask-Login does at the end of that look, and
    the look itself (a SHA-512 of the reader's address and browser, two signals, the
    remember-me and loader checks) costs 6% of this reader's page. Not with "strong"
    session protection (it rewrites such a session) or anyone listening to its signals.
    """
    protection = app.config.get("SESSION_PROTECTION", app.login_manager.session_protection)
    return (
        protection in (None, "basic")
        and not user_accessed.receivers
        and not session_protected.receivers
    )


def article_page(app: Flask) -> PrivateAnswer | None:
    try:
        made = app.view_functions[ARTICLE_ENDPOINT](**request.view_args)
    except HTTPException:
        # A page that is not there (404): Flask's error page, with everything it sends.
        return None
    if not isinstance(made, bytes):
        return _through_after_request_hooks(app, made)
    kept = kept_headers(app)
    inputs = (request.is_secure, session.accessed)
    if not session.modified and inputs in kept:
        # What _log_request writes when Flask runs the hooks.
        log_request_line(request.method, request.path, 200, g.get("request_started"))
        return "200 OK", kept[inputs].around(len(made)), made
    status, headers, body = _through_after_request_hooks(app, made)
    if status == "200 OK" and not session.modified:
        kept.keep(inputs, headers)
    return status, headers, body


def _through_after_request_hooks(app: Flask, made: Any) -> PrivateAnswer:
    response = app.process_response(app.make_response(made))
    return response.status, response.headers.to_wsgi_list(), response.get_data()


class HeadersAround:
    """An answer's headers but its length, to be sent around another body's length."""

    def __init__(self, headers: list[tuple[str, str]]):
        place = [name.lower() for name, _ in headers].index("content-length")
        self.before, self.after = headers[:place], headers[place + 1 :]

    def around(self, length: int) -> list[tuple[str, str]]:
        return [*self.before, ("Content-Length", str(length)), *self.after]


class KeptHeaders(dict):
    """Flask's headers for this reader's article pages, by the inputs that decide them."""

    def keep(self, inputs: tuple, headers: list[tuple[str, str]]) -> None:
        # A cookie is this one answer's own (a new signing time): never sent again.
        if not any(name.lower() == "set-cookie" for name, _ in headers):
            self[inputs] = HeadersAround(headers)


def kept_headers(app: Flask) -> KeptHeaders:
    if HEADERS_KEY not in app.extensions:
        app.extensions[HEADERS_KEY] = KeptHeaders()
    return app.extensions[HEADERS_KEY]


def reader_session(app: Flask, cookie: str) -> Mapping[str, Any] | None:
    """The session as Flask's SecureCookieSessionInterface.open_session reads it, if it holds
    nothing but the reader's own comment ids; None for anything else."""
    serializer = app.session_interface.get_signing_serializer(app)
    if serializer is None or not cookie:
        return None
    max_age = int(app.permanent_session_lifetime.total_seconds())
    try:
        data = serializer.loads(cookie, max_age=max_age)
    except BadSignature:
        return None
    return data if holds_only_own_comments(data) else None


def holds_only_own_comments(data: Any) -> bool:
    if not isinstance(data, dict) or not set(data) <= {SESSION_KEY, FRESH_KEY}:
        return False
    ids = data.get(SESSION_KEY)
    if not isinstance(ids, list) or not ids or any(type(each) is not int for each in ids):
        return False
    return data.get(FRESH_KEY, False) is False
