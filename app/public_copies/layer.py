"""The WSGI layer in front of Flask that answers readers from the kept public copies.

A reader without our cookies who asks for a page already kept (and still current) is
answered here, without the framework's request machinery: no request context, no session,
no view, no template. A reader whose only cookie of ours is the session may be answered here
too, by `answer_privately` (app/articles/private_front.py), which returns None for anyone it
cannot answer exactly as Flask would. Everything else goes to Flask. When Flask's answer is
a public copy (policy.mark_public_or_private), the layer keeps it and sends it the way it
sends a kept one, so the first reader and the thousandth get the same status, headers and bytes.
"""

import logging
import time
from collections.abc import Callable
from collections.abc import Hashable
from collections.abc import Iterable

from app.logs import log_request_line
from app.public_copies.policy import PRIVATE
from app.public_copies.policy import PUBLIC_COPY_MARK
from app.public_copies.policy import VERSION_MARK
from app.public_copies.policy import is_kept_query
from app.public_copies.policy import our_cookies
from app.public_copies.store import PublicCopies
from app.public_copies.store import PublicCopy

logger = logging.getLogger(__name__)
WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
READING_METHODS = frozenset({"GET", "HEAD"})
# (status, headers, body) as Flask would send them.
PrivateAnswer = tuple[str, list[tuple[str, str]], bytes]
# Given the environ and the session cookie: the answer, or None when Flask must answer.
AnswerPrivately = Callable[[dict, str], PrivateAnswer | None]


class PublicCopyLayer:
    def __init__(
        self,
        wsgi_app: WSGIApp,
        copies: PublicCopies,
        cookie_names: frozenset[str],
        session_cookie_name: str,
        answer_privately: AnswerPrivately | None = None,
    ):
        self.wsgi_app = wsgi_app
        self.copies = copies
        self.cookie_names = cookie_names
        self.session_cookie_name = session_cookie_name
        self.answer_privately = answer_privately

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method not in READING_METHODS:
            return self.wsgi_app(environ, start_response)
        ours = our_cookies(environ.get("HTTP_COOKIE"), self.cookie_names)
        if ours:
            return self.private(environ, start_response, ours)
        started = time.perf_counter()
        key = copy_key(environ)
        copy = self.copies.current(key)
        if copy is not None:
            status = send(copy, environ, start_response)
            log_request_line(method, path_of(environ), status, started)
            return [] if method == "HEAD" or status != 200 else [copy.body]
        return self.made_by_flask(environ, start_response, key)

    def private(self, environ: dict, start_response: Callable, ours: dict[str, str]):
        answer = None
        if (
            self.answer_privately is not None
            and environ["REQUEST_METHOD"] == "GET"
            and ours.keys() == {self.session_cookie_name}
        ):
            answer = self.answer_privately(environ, ours[self.session_cookie_name])
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def made_by_flask(self, environ: dict, start_response: Callable, key: Hashable):
        method = environ["REQUEST_METHOD"]
        # A HEAD is answered like a GET without the body, so it can make and use copies.
        environ["REQUEST_METHOD"] = "GET"
        held: list = []

        def hold_back_a_public_copy(status, headers, exc_info=None):
            if not environ.get(PUBLIC_COPY_MARK):
                return start_response(status, headers, exc_info)
            held.extend((status, headers))
            return None

        try:
            answer = self.wsgi_app(environ, hold_back_a_public_copy)
        finally:
            environ["REQUEST_METHOD"] = method
        if not held:
            # Not a public copy: passed on as it came, without the body if a HEAD asked.
            if method == "HEAD":
                close(answer)
                return []
            return answer
        try:
            body = b"".join(answer)
        finally:
            close(answer)
        status, headers = held
        if any(name.lower() == "set-cookie" for name, _ in headers):
            # Something set a cookie after the page was judged public: the answer is this
            # reader's own. Sent privately, never kept, so the cookie reaches nobody else.
            logger.warning("A public page set a cookie; answered privately: %s", path_of(environ))
            start_response(status, [*without_cache_control(headers), ("Cache-Control", PRIVATE)])
            return [] if method == "HEAD" else [body]
        copy = PublicCopy.made(status, headers, body, environ[VERSION_MARK])
        if is_kept_query(environ.get("QUERY_STRING", "")):
            self.copies.keep(key, copy)
        code = send(copy, environ, start_response)
        return [] if method == "HEAD" or code != 200 else [copy.body]


def without_cache_control(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in headers if name.lower() != "cache-control"]


def path_of(environ: dict) -> str:
    """The path as Flask would show it (WSGI hands it over as latin-1)."""
    return environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")


def close(answer: Iterable[bytes]) -> None:
    if hasattr(answer, "close"):
        answer.close()


def copy_key(environ: dict) -> Hashable:
    """Scheme and host too: canonical links and HSTS depend on them when SITE_URL is unset."""
    return (
        environ.get("wsgi.url_scheme"),
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME"),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
    )


def send(copy: PublicCopy, environ: dict, start_response: Callable) -> int:
    """Start the answer: the copy, or 304 when the reader's cache already holds it."""
    if matches(environ.get("HTTP_IF_NONE_MATCH"), copy.etag):
        start_response("304 NOT MODIFIED", copy.not_modified_headers())
        return 304
    start_response(copy.status, copy.headers)
    return 200


def matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x"."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))
