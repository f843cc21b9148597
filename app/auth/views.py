from flask import Blueprint
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_login import login_user
from flask_login import logout_user

from app.auth.accounts import authenticate
from app.auth.forms import LoginForm
from app.auth.redirects import is_local_path
from app.extensions import login_manager

bp = Blueprint("auth", __name__, url_prefix="/auth")

LOGIN_FAILED = "That username and password don’t match an active moderator account."

login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to review comments."


@bp.after_request
def never_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    next_path = request.args.get("next")
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("auth/login.html", form=form, error=""), status
    moderator = authenticate(form.username.data, form.password.data)
    if moderator is None:
        return render_template("auth/login.html", form=form, error=LOGIN_FAILED), 400
    # A fresh session, so a session id planted before login is worth nothing after it.
    session.clear()
    login_user(moderator)
    target = next_path if is_local_path(next_path) else url_for("moderation.queue")
    return redirect(target, code=303)


@bp.post("/logout")
def logout():
    # CSRFProtect has already refused a POST without this site's token.
    logout_user()
    session.clear()
    return redirect(url_for("articles.home"), code=303)
