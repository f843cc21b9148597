"""Which answers are one public copy for everybody, and the headers that say so.

A reader who carries none of our cookies (the session, the remembered details, the login's
remember-me) sees nothing of their own on these pages: no form token, no flash message, no
pending comment. Their answer is public: any cache may keep it for PUBLIC_CACHE_SECONDS. A
reader who carries one gets a private page, which no shared cache keeps. `Vary: Cookie` on
both tells caches that the cookie makes the difference.
"""

import re
from collections.abc import Hashable
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask import Response
from flask import current_app
from flask import has_app_context
from flask import request
from flask import session
from werkzeug.http import parse_cookie

from app import public
from app.comments.remembered import COOKIE_NAME as REMEMBERED_DETAILS_COOKIE
from app.public_copies.store import public_copies_of

# Set in the WSGI environ on an answer that is a public copy, for the layer in front.
PUBLIC_COPY_MARK = "app.public_copy"
# The public pages' version as it stood before Flask began to make the page.
VERSION_MARK = "app.public_version"
PUBLIC_ENDPOINTS = frozenset(
    {
        "articles.home",
        "articles.show",
        "feeds.articles",
        "feeds.article_comments",
        "site.comment_policy",
        "site.privacy_notice",
        "site.robots",
        "site.sitemap",
    }
)
PRIVATE = "private, no-cache"
# Addresses whose copies are kept: the page itself or one of its comment pages, in the
# default order or in a reader's order, in the one canonical form the site's links use
# (app/comments/listing.discussion_url): `order=newest&page=2`, never `page=2&order=newest`.
# Anything else (?replytocom=, ?order=oldest, made-up parameters) is answered but not kept,
# so nobody can push the readers' pages out of a worker's memory with endless new addresses.
_PAGE = r"page=[1-9][0-9]{0,5}"
KEPT_QUERY = re.compile(rf"(?:order=(?:newest|picks)(?:&{_PAGE})?|{_PAGE})?")


def cookie_names(config: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(
        {
            config["SESSION_COOKIE_NAME"],
            config.get("REMEMBER_COOKIE_NAME", "remember_token"),
            REMEMBERED_DETAILS_COOKIE,
        }
    )


def our_cookies(cookie_header: str | None, names: frozenset[str]) -> dict[str, str]:
    """Each of our cookies the request carries, read as Flask reads request.cookies."""
    if not cookie_header:
        return {}
    cookies = parse_cookie(cookie_header)
    return {name: cookies[name] for name in names if name in cookies}


def request_carries_our_cookie() -> bool:
    # request.cookies is parsed once a request (Flask-Login has usually read it already).
    return not cookie_names(current_app.config).isdisjoint(request.cookies)


def is_kept_query(query_string: str) -> bool:
    return KEPT_QUERY.fullmatch(query_string) is not None


def public_cache_control(config: Mapping[str, Any]) -> str:
    """Browsers ask again every time (a 304 when nothing changed); shared caches keep it."""
    return (
        f"public, max-age=0, s-maxage={int(config['PUBLIC_CACHE_SECONDS'])}, "
        f"stale-while-revalidate={int(config['PUBLIC_CACHE_STALE_SECONDS'])}"
    )


def mark_public_or_private(response: Response) -> Response:
    """Decide, for the pages that can be public, whether this answer is."""
    if request.endpoint not in PUBLIC_ENDPOINTS:
        return response
    _vary_by_cookie(response)
    public_copy = (
        request.method in {"GET", "HEAD"}
        and response.status_code == 200
        and not response.is_streamed
        and not session.modified
        and not request_carries_our_cookie()
    )
    public_copy = public_copy and VERSION_MARK in request.environ
    if public_copy:
        response.headers["Cache-Control"] = public_cache_control(current_app.config)
        request.environ[PUBLIC_COPY_MARK] = True
    else:
        response.headers["Cache-Control"] = PRIVATE
    return response


def _vary_by_cookie(response: Response) -> None:
    # response.vary reads the header with .get, which raises and catches an HTTP exception
    # when there is none, as on nearly every page.
    if any(name.lower() == "vary" for name, _ in response.headers):
        response.vary.add("Cookie")
    else:
        response.headers["Vary"] = "Cookie"


def note_version_before_rendering() -> None:
    """A copy is tagged with the version read before it was made, never after: a change
    made while it renders must leave it stale, not current."""
    if (
        request.endpoint in PUBLIC_ENDPOINTS
        and request.method in {"GET", "HEAD"}
        and not request_carries_our_cookie()
    ):
        request.environ[VERSION_MARK] = public_copies_of(current_app).version()


def current_public_version(app: Flask) -> Hashable:
    # Inside Flask's request the version shares its settings read; the layer in front of
    # Flask has no context of its own yet.
    if has_app_context() and current_app._get_current_object() is app:
        return public.public_pages_version()
    with app.app_context():
        return public.public_pages_version()
