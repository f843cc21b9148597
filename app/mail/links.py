"""Signed links in emails: what they do is in the link, signed with the secret key.

A link carries ids, never an address: its URL ends up in access logs and browser histories.
Links that act expire (LINK_LIFETIME); unsubscribe links do not, as RFC 8058 expects.
"""

import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask import has_request_context
from itsdangerous import BadSignature
from itsdangerous import SignatureExpired
from itsdangerous import TimestampSigner
from itsdangerous import URLSafeTimedSerializer

from app.urls import absolute_url

LINK_LIFETIME = timedelta(hours=72)


def clock() -> float:
    """Seconds since the epoch; tests replace it to move time."""
    return time.time()


class _Signer(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(clock())


class LinkInvalid(Exception):
    """Not a link we made, or one for another purpose."""


class LinkExpired(Exception):
    pass


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"mail-link:{purpose}", signer=_Signer
    )


def sign(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read(purpose: str, token: str, expires: bool = True) -> dict[str, Any]:
    max_age = int(LINK_LIFETIME.total_seconds()) if expires else None
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkExpired from error
    except BadSignature as error:
        raise LinkInvalid from error
    if not isinstance(payload, dict):
        raise LinkInvalid
    return payload


def site_link(endpoint: str, **values) -> str:
    """A full address for an email: SITE_URL, or the request's address when it is not set.

    `send-mail` builds digests outside any request, where only SITE_URL can say it.
    """
    if has_request_context():
        return absolute_url(endpoint, **values)
    site_url = current_app.config.get("SITE_URL")
    if not site_url:
        raise RuntimeError("Set SITE_URL: emails made outside a request need the site's address.")
    anchor = values.pop("_anchor", None)
    parts = urlsplit(site_url)
    path = current_app.url_map.bind(parts.netloc, url_scheme=parts.scheme).build(endpoint, values)
    return site_url + path + (f"#{anchor}" if anchor else "")
