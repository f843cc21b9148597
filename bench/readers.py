"""Browser-like visits before the load: new readers' pages, their forms, a moderator's login.

wrk cannot read a form or a JSON answer, so each reader's form is prepared here first (with a
stamp from /comments/form-stamp, as the page's script asks for one) and handed to wrk's Lua
script as a ready-made body. The pages are checked for what the benchmark claims to measure:
a new reader's page must be the one public copy, a commenter's their own private page.
"""

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message

from bench.comment_texts import ReaderComment
from bench.stamps import STAMP_MARK

_CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]+)"')
_STAMP_INPUT = re.compile(r'<input[^>]*name="stamp"[^>]*>')
FORM_STAMP_PATH = "/comments/form-stamp"
SESSION_COOKIE = "session"
PUBLIC_CACHE_CONTROL = "public, max-age=0, s-maxage=10, stale-while-revalidate=30"
PRIVATE_CACHE_CONTROL = "private, no-cache"
OWN_PENDING_COMMENT = "Your comment is awaiting moderation"


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

    def post_form(self, url: str, fields: dict[str, str] | str) -> int:
        data = (fields if isinstance(fields, str) else urllib.parse.urlencode(fields)).encode()
        try:
            with self._opener.open(url, data=data, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as answer:
            return answer.code

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)


@dataclass(frozen=True)
class FetchedPage:
    html: str
    headers: Message


def fetch_page(url: str, cookie_header: str = "") -> FetchedPage:
    """The page and its headers, or an error if it does not answer 200 (a redirect, say)."""
    request = urllib.request.Request(
        url, headers={"Cookie": cookie_header} if cookie_header else {}
    )
    opener = urllib.request.build_opener(_NoRedirects())
    with opener.open(request, timeout=60) as response:
        return FetchedPage(response.read().decode("utf-8"), response.headers)


def visit(url: str, cookie_header: str) -> tuple[FetchedPage, str]:
    """The page, and the Cookie header a browser sends next: with what the page set."""
    page = fetch_page(url, cookie_header)
    return page, cookie_header_after(cookie_header, page.headers.get_all("Set-Cookie") or [])


def cookie_header_after(cookie_header: str, set_cookies: Sequence[str]) -> str:
    """A browser's Cookie header after it took these Set-Cookie headers (an empty value, as a
    deleted cookie has, leaves the header)."""
    cookies = dict(part.split("=", 1) for part in cookie_header.split("; ") if "=" in part)
    for set_cookie in set_cookies:
        name, _, value = set_cookie.split(";", 1)[0].strip().partition("=")
        cookies[name] = value
    return "; ".join(f"{name}={value}" for name, value in cookies.items() if value)


def check_page(url: str, cookie_header: str = "") -> str:
    return fetch_page(url, cookie_header).html


def public_copy_problems(page: FetchedPage) -> list[str]:
    """Why this page is not the one public copy a new reader should get; empty if it is."""
    headers = page.headers
    problems = []
    if headers.get_all("Set-Cookie"):
        problems.append("it sets a cookie")
    if headers.get("Cache-Control") != PUBLIC_CACHE_CONTROL:
        problems.append(f"its Cache-Control is {headers.get('Cache-Control')!r}")
    if not headers.get("ETag"):
        problems.append("it has no ETag")
    if "Cookie" not in (headers.get("Vary") or ""):
        problems.append("it does not say Vary: Cookie")
    if _CSRF_INPUT.search(page.html):
        problems.append("it carries a CSRF token")
    if stamp_in(page.html):
        problems.append("its form carries a stamp")
    return problems


def cached_problems(page: FetchedPage) -> list[str]:
    """Through nginx, a second new reader should get the kept copy (deploy/nginx.conf)."""
    cache_status = page.headers.get("X-Cache-Status")
    problems = [] if cache_status == "HIT" else [f"nginx answered {cache_status!r}, not a HIT"]
    return problems + public_copy_problems(page)


def private_page_problems(page: FetchedPage) -> list[str]:
    """Why this is not a commenter's own page, with their comment awaiting moderation."""
    problems = []
    if page.headers.get("Cache-Control") != PRIVATE_CACHE_CONTROL:
        problems.append(f"its Cache-Control is {page.headers.get('Cache-Control')!r}")
    if OWN_PENDING_COMMENT not in page.html:
        problems.append("it does not show the reader's comment awaiting moderation")
    if page.headers.get_all("Set-Cookie"):
        problems.append("it sets the cookie again on every visit")
    return problems


def stamp_in(html: str) -> str:
    field = _STAMP_INPUT.search(html)
    value = _VALUE.search(field.group(0)) if field else None
    return value.group(1) if value else ""


def form_stamp(base_url: str) -> str:
    """A stamp from the site's endpoint, as the page's script asks for one; checked as it goes."""
    with urllib.request.urlopen(base_url + FORM_STAMP_PATH, timeout=60) as response:
        if response.headers.get_all("Set-Cookie"):
            raise RuntimeError(f"{FORM_STAMP_PATH} set a cookie")
        if response.headers.get("Cache-Control") != "no-store":
            raise RuntimeError(f"{FORM_STAMP_PATH} may be kept by a cache")
        stamp = json.load(response).get("stamp")
    if not stamp:
        raise RuntimeError(f"{FORM_STAMP_PATH} gave no stamp")
    return stamp


def comments_shown(article_html: str) -> int:
    return article_html.count('<li class="comment')


def csrf_token_in(html: str) -> str:
    field = _CSRF_INPUT.search(html)
    token = _VALUE.search(field.group(0)) if field else None
    if not token:
        raise ValueError("the page has no CSRF token")
    return token.group(1)


def prepared_comment_forms(comments: Sequence[ReaderComment]) -> list[tuple[str, str]]:
    """(Cookie header, form body) per reader: a new reader sends no cookie, and no token."""
    return [
        (
            "",
            urllib.parse.urlencode(
                {
                    # Replaced by a stamp (bench/stamps.py); in the text too, so no two comments
                    # say the same thing ("you already said that").
                    "stamp": STAMP_MARK,
                    "name": comment.name,
                    "email": comment.email,
                    "website": comment.website or "",
                    "body": f"{comment.body} ({STAMP_MARK})",
                }
            ),
        )
        for comment in comments
    ]


def first_comments(base_url: str, form_url: str, forms: Sequence[tuple[str, str]]) -> list[str]:
    """Each reader asks the endpoint for a stamp and sends their form with it, as a browser
    would; the Cookie header each then holds (their own comment awaiting moderation)."""
    cookies = []
    for _, body in forms:
        reader = Browser()
        status = reader.post_form(form_url, body.replace(STAMP_MARK, form_stamp(base_url)))
        if status != 303:
            raise RuntimeError(f"a new reader's comment was answered {status}, not 303")
        if not any(cookie.name == SESSION_COOKIE for cookie in reader.cookies):
            raise RuntimeError("a new reader's comment was answered without a session cookie")
        cookies.append(reader.cookie_header())
    return cookies


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
