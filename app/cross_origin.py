"""Cross-site request forgery defence for the forms readers send without logging in.

These forms (a comment, a report, a privacy request) carry no per-reader token, so the pages
that hold them can be one public copy for everybody. The browser tells us instead where a
POST comes from, the way Go's http.CrossOriginProtection reads it:

- `Sec-Fetch-Site: same-origin` (or `none`, typed by the user): accepted; `same-site` and
  `cross-site` are refused, unless the `Origin` is one of TRUSTED_ORIGINS.
- No `Sec-Fetch-Site` (an older browser): an `Origin` other than the site's own is refused.
- Neither header: accepted. That is not a browser, so there is no victim's session to ride;
  the stamp, flood, duplicate and moderation defences deal with such clients.

Forms where a login is involved (login, two-factor, the desk, admin, signed-link pages) keep
Flask-WTF's token: this module is only for the views wrapped with `reader_form`.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app
from flask import request
from flask_wtf import FlaskForm

from app.config import origin_of
from app.errors import render_error
from app.extensions import csrf

ACCEPTED_FETCH_SITES = frozenset({"same-origin", "none"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSED_TITLE = "This form was sent from another site"
REFUSED_MESSAGE = (
    "For your safety we only accept forms sent from our own pages, and nothing was saved. "
    "Please open the page on our site and send it from there."
)


def is_cross_origin(
    fetch_site: str | None, origin: str | None, own_origins: set[str], trusted: frozenset[str]
) -> bool:
    """Whether a POST with these headers must be refused as forged by another site."""
    sent_from = origin_of(origin) if origin else None
    if origin and sent_from in trusted:
        return False
    if fetch_site:
        return fetch_site.strip().lower() not in ACCEPTED_FETCH_SITES
    if not origin:
        return False
    return sent_from not in own_origins


def own_origins() -> set[str]:
    """The site's public origin (SITE_URL) and the one this request was addressed to."""
    origins = {origin_of(request.host_url)}
    if current_app.config["SITE_URL"]:
        origins.add(origin_of(current_app.config["SITE_URL"]))
    return {origin for origin in origins if origin}


def refusal_for_this_request():
    if request.method in SAFE_METHODS:
        return None
    forged = is_cross_origin(
        request.headers.get("Sec-Fetch-Site"),
        request.headers.get("Origin"),
        own_origins(),
        current_app.config["TRUSTED_ORIGINS"],
    )
    return render_error(403, REFUSED_TITLE, REFUSED_MESSAGE) if forged else None


def reader_form(view: Callable[..., Any]) -> Callable[..., Any]:
    """Guard a reader's form by its headers instead of Flask-WTF's per-session token."""

    @wraps(view)
    def guarded(*args, **kwargs):
        return refusal_for_this_request() or view(*args, **kwargs)

    return csrf.exempt(guarded)


class ReaderForm(FlaskForm):
    """A form readers send without a login: no per-session token, so its page can be public.

    Only for views wrapped with `reader_form`, which checks where the POST came from instead.
    """

    class Meta:
        csrf = False
