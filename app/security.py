"""Headers every response carries, so a page can neither run foreign script nor be framed."""

from flask import Flask
from flask import Response
from flask import request

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Not no-referrer: flask-wtf's CSRF check on HTTPS compares the Referer with the host.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000; includeSubDomains"
# Pages for staff show commenters' emails and IPs, or passwords and codes: no cache keeps them.
STAFF_BLUEPRINTS = frozenset({"moderation", "admin", "auth", "two_factor"})


def add_security_headers(response: Response) -> Response:
    # A view may set its own; the rest are added. Asked once, not once per header: werkzeug
    # answers "not there" with an exception, six of them on every page.
    present = {name.lower() for name, _ in response.headers}
    for name, value in SECURITY_HEADERS.items():
        if name.lower() not in present:
            response.headers.add(name, value)
    if request.is_secure and "strict-transport-security" not in present:
        response.headers.add("Strict-Transport-Security", HSTS)
    if request.blueprint in STAFF_BLUEPRINTS:
        response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    app.after_request(add_security_headers)
