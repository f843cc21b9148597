"""Moderator sessions: who is logged in, for how long, and cookies fit for HTTPS."""

import time

from flask import Flask
from flask import current_app
from flask import flash
from flask import redirect
from flask import request
from flask import session
from flask import url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_login import login_user
from flask_login import logout_user

from app.extensions import db
from app.models import Moderator

LAST_ACTIVE_KEY = "last_active"
SERIALIZER_KEY = "session_serializer"


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """Marks the cookie Secure whenever the request came over HTTPS, not only when told to."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)

    def get_signing_serializer(self, app: Flask):
        # Flask builds a new serializer twice a request (open and save), which costs about
        # as much as the signing itself; one per key serves every request alike.
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = app.extensions.get(SERIALIZER_KEY)
        if kept is None or kept[0] != keys:
            kept = (keys, super().get_signing_serializer(app))
            app.extensions[SERIALIZER_KEY] = kept
        return kept[1]


def logged_in_moderator() -> Moderator:
    """The moderator of this request, as the model (not Flask-Login's proxy)."""
    return current_user._get_current_object()


def begin_session(moderator: Moderator) -> None:
    # A fresh session, so a session id planted before login is worth nothing after it.
    session.clear()
    session.permanent = True
    login_user(moderator)
    session[LAST_ACTIVE_KEY] = int(time.time())


def end_session() -> None:
    """Log out here and everywhere: a copied cookie stops working too."""
    if current_user.is_authenticated:
        current_user.end_all_sessions()
        db.session.commit()
    logout_user()
    session.clear()


def enforce_idle_timeout():
    """Log a moderator out after MODERATOR_IDLE_MINUTES without a request."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = int(time.time())
    idle_limit = current_app.config["MODERATOR_IDLE_MINUTES"] * 60
    last_active = session.get(LAST_ACTIVE_KEY, 0)
    if now - last_active > idle_limit:
        logout_user()
        session.clear()
        flash(
            f"You were logged out after {current_app.config['MODERATOR_IDLE_MINUTES']} "
            "minutes without activity. Please log in again."
        )
        # Only a page can be returned to; a button pressed after the timeout is not redone.
        next_path = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=next_path))
    session[LAST_ACTIVE_KEY] = now
    return None


def register(app: Flask) -> None:
    app.session_interface = HttpsAwareSessionInterface()
    app.before_request(enforce_idle_timeout)
