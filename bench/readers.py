"""Browser-like visits before the load: readers' sessions and CSRF tokens, a moderator's login.

wrk cannot read a form, so each reader's cookie and token are fetched here first and handed to
wrk's Lua script with a ready-made form body.
"""

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence

from bench.comment_texts import ReaderComment
from bench.stamps import STAMP_MARK

_CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]+)"')


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: a cookie jar, no automatic redirects."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def get(self, url: str) -> str:
        with self._opener.open(url, timeout=60) as response:
            return response.read().decode("utf-8")

    def post_form(self, url: str, fields: dict[str, str]) -> int:
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self._opener.open(url, data=data, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as answer:
            return answer.code

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)


def check_page(url: str, cookie_header: str = "") -> str:
    """The page, or an error if it does not answer 200 (a redirect to a login, say)."""
    request = urllib.request.Request(
        url, headers={"Cookie": cookie_header} if cookie_header else {}
    )
    opener = urllib.request.build_opener(_NoRedirects())
    with opener.open(request, timeout=60) as response:
        return response.read().decode("utf-8")


def comments_shown(article_html: str) -> int:
    return article_html.count('<li class="comment')


def csrf_token_in(html: str) -> str:
    field = _CSRF_INPUT.search(html)
    token = _VALUE.search(field.group(0)) if field else None
    if not token:
        raise ValueError("the page has no CSRF token")
    return token.group(1)


def prepared_comment_forms(
    article_url: str, comments: Sequence[ReaderComment]
) -> list[tuple[str, str]]:
    """(Cookie header, form body) per reader: each reader loads the page, then may post."""
    prepared = []
    for comment in comments:
        reader = Browser()
        token = csrf_token_in(reader.get(article_url))
        body = urllib.parse.urlencode(
            {
                "csrf_token": token,
                # Replaced per request by a stamp of its own (bench/stamps.py); in the text too,
                # so no two comments say the same thing ("you already said that").
                "stamp": STAMP_MARK,
                "name": comment.name,
                "email": comment.email,
                "website": comment.website or "",
                "body": f"{comment.body} ({STAMP_MARK})",
            }
        )
        prepared.append((reader.cookie_header(), body))
    return prepared


def prepared_isso_posts(comments: Sequence[ReaderComment]) -> list[tuple[str, str]]:
    """Isso's JSON for a new comment; it needs no cookie."""
    return [
        (
            "",
            json.dumps(
                {
                    "text": comment.body,
                    "author": comment.name,
                    "email": comment.email,
                    "website": comment.website,
                }
            ),
        )
        for comment in comments
    ]


def logged_in_moderator_cookie(base_url: str, username: str, password: str) -> str:
    desk = Browser()
    token = csrf_token_in(desk.get(base_url + "/auth/login"))
    status = desk.post_form(
        base_url + "/auth/login",
        {"csrf_token": token, "username": username, "password": password},
    )
    if status != 303:
        raise RuntimeError(f"the moderator could not log in (HTTP {status})")
    return desk.cookie_header()
