import time

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for

from app.auth.accounts import authenticate
from app.auth.forms import CodeForm
from app.auth.forms import LoginForm
from app.auth.redirects import is_local_path
from app.auth.sessions import begin_session
from app.auth.sessions import end_session
from app.auth.throttle import clear_failures
from app.auth.throttle import record_failure
from app.auth.throttle import seconds_locked_out
from app.auth.two_factor import accept_code
from app.extensions import db
from app.extensions import login_manager
from app.models import Moderator

bp = Blueprint("auth", __name__, url_prefix="/auth")

LOGIN_FAILED = "That username and password don’t match an active moderator account."
CODE_FAILED = "That code isn’t right, or it has been used already."
LOCKED_OUT = "Too many failed attempts. Please wait a few minutes before trying again."
# The second step must follow the first promptly: a half-done login does not linger.
TWO_FACTOR_SECONDS = 300
PENDING_KEY = "two_factor_pending"

login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to review comments."


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    next_path = request.args.get("next")
    if not form.validate_on_submit():
        return login_page(form, status=400 if form.is_submitted() else 200)
    username, ip_address = form.username.data, request.remote_addr
    wait = seconds_locked_out(username, ip_address)
    if wait:
        return login_page(form, LOCKED_OUT, 429, {"Retry-After": str(wait)})
    moderator = authenticate(username, form.password.data)
    if moderator is None:
        record_failure(username, ip_address)
        db.session.commit()
        return login_page(form, LOGIN_FAILED, 400)
    if moderator.has_two_factor:
        session.clear()
        session[PENDING_KEY] = {"id": moderator.id, "at": int(time.time()), "next": next_path}
        return redirect(url_for("auth.two_factor_check"), code=303)
    return finish_login(moderator, next_path)


@bp.route("/two-factor/check", methods=["GET", "POST"])
def two_factor_check():
    moderator, next_path = pending_login()
    if moderator is None:
        flash("Please log in again.")
        return redirect(url_for("auth.login"), code=303)
    form = CodeForm()
    if not form.validate_on_submit():
        return code_page(form, status=400 if form.is_submitted() else 200)
    wait = seconds_locked_out(moderator.username, request.remote_addr)
    if wait:
        return code_page(form, LOCKED_OUT, 429, {"Retry-After": str(wait)})
    if not accept_code(moderator, form.code.data):
        record_failure(moderator.username, request.remote_addr)
        db.session.commit()
        return code_page(form, CODE_FAILED, 400)
    return finish_login(moderator, next_path)


@bp.post("/logout")
def logout():
    # CSRFProtect has already refused a POST without this site's token.
    end_session()
    return redirect(url_for("articles.home"), code=303)


def finish_login(moderator: Moderator, next_path: str | None):
    # Failures are forgiven only now: a right password alone must not reset the code count.
    clear_failures(moderator.username, request.remote_addr)
    begin_session(moderator)
    db.session.commit()
    target = next_path if is_local_path(next_path) else url_for("moderation.queue")
    return redirect(target, code=303)


def pending_login() -> tuple[Moderator | None, str | None]:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > TWO_FACTOR_SECONDS:
        return None, None
    moderator = db.session.get(Moderator, pending.get("id"))
    if moderator is None or not moderator.is_active or not moderator.has_two_factor:
        return None, None
    return moderator, pending.get("next")


def login_page(form, error: str = "", status: int = 200, headers=None):
    body = render_template("auth/login.html", form=form, error=error)
    return body, status, headers or {}


def code_page(form, error: str = "", status: int = 200, headers=None):
    body = render_template("auth/two_factor_check.html", form=form, error=error)
    return body, status, headers or {}
