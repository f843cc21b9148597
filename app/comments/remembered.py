""" "Save my name, email, and website in this browser": a cookie set only when asked.

The cookie is the reader's own (HttpOnly, SameSite=Lax, Secure over HTTPS) and signed, so
a tampered one is simply ignored. Without the tick nothing is stored, and an earlier cookie
is removed.
"""

from datetime import timedelta
from typing import Any

from flask import Request
from flask import Response
from flask import current_app
from itsdangerous import BadSignature
from itsdangerous import URLSafeSerializer

COOKIE_NAME = "commenter"
LIFETIME = timedelta(days=365)
FIELDS = ("name", "email", "website")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="remembered-commenter")


def remembered_details(request: Request) -> dict[str, Any] | None:
    """The form's starting values, ticked box included, or None for a blank form."""
    # `in` first: a missing cookie makes werkzeug's .get raise and catch an HTTP exception.
    if COOKIE_NAME not in request.cookies:
        return None
    value = request.cookies[COOKIE_NAME]
    if not value:
        return None
    try:
        details = _serializer().loads(value)
    except BadSignature:
        return None
    if not isinstance(details, dict):
        return None
    prefilled = {name: str(details.get(name) or "") for name in FIELDS}
    return {**prefilled, "remember": True}


def remember_details(response: Response, request: Request, name: str, email: str, website: str):
    value = _serializer().dumps({"name": name, "email": email, "website": website or ""})
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=int(LIFETIME.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure or current_app.config["SESSION_COOKIE_SECURE"],
    )


def forget_details(response: Response, request: Request) -> None:
    if COOKIE_NAME in request.cookies:
        response.delete_cookie(COOKIE_NAME, httponly=True, samesite="Lax")
