"""A moderator's own two-factor settings: turn it on, make new recovery codes, turn it off."""

from flask import Blueprint
from flask import Response
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import session
from flask import url_for
from flask_login import current_user
from flask_login import login_required

from app.auth import two_factor
from app.auth.forms import CodeForm
from app.extensions import db

bp = Blueprint("two_factor", __name__, url_prefix="/auth/two-factor")

SETUP_SECRET_KEY = "two_factor_setup_secret"  # noqa: S105  (a session key name)


@bp.before_request
@login_required
def require_login():
    """Only a logged-in moderator manages their own second factor."""


@bp.get("/")
def settings():
    if current_user.has_two_factor:
        return render_template("auth/two_factor_settings.html", form=CodeForm())
    secret = session.setdefault(SETUP_SECRET_KEY, two_factor.new_secret())
    return render_template("auth/two_factor_setup.html", form=CodeForm(), secret=secret)


@bp.get("/qr.svg")
def qr_code():
    secret = session.get(SETUP_SECRET_KEY) or abort(404)
    uri = two_factor.provisioning_uri(secret, current_user.username)
    return Response(two_factor.qr_code_svg(uri), mimetype="image/svg+xml")


@bp.post("/enable")
def enable():
    secret = session.get(SETUP_SECRET_KEY)
    form = CodeForm()
    step = two_factor.matching_step(secret, form.code.data or "") if secret else None
    if current_user.has_two_factor or step is None:
        form.code.errors = ["That code doesn’t match. Check your phone’s clock and try again."]
        return render_template("auth/two_factor_setup.html", form=form, secret=secret), 400
    codes = two_factor.enable(current_user, secret, step)
    session.pop(SETUP_SECRET_KEY)
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.post("/recovery-codes")
def new_recovery_codes():
    form = CodeForm()
    if not confirmed_by_code(form):
        return render_template("auth/two_factor_settings.html", form=form), 400
    codes = two_factor.new_recovery_codes(current_user)
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.post("/disable")
def disable():
    form = CodeForm()
    if not confirmed_by_code(form):
        return render_template("auth/two_factor_settings.html", form=form), 400
    two_factor.disable(current_user)
    db.session.commit()
    flash("Two-factor authentication is off.")
    return redirect(url_for("two_factor.settings"), code=303)


def confirmed_by_code(form: CodeForm) -> bool:
    """Changes to two-factor itself need a current code, not only a logged-in session."""
    if current_user.has_two_factor and two_factor.accept_code(current_user, form.code.data or ""):
        return True
    form.code.errors = ["That code isn’t right, or it has been used already."]
    return False


def require_admin_two_factor():
    """With REQUIRE_ADMIN_TWO_FACTOR on, an admin without it is sent to turn it on first."""
    if (
        current_app.config["REQUIRE_ADMIN_TWO_FACTOR"]
        and current_user.is_authenticated
        and current_user.is_admin
        and not current_user.has_two_factor
    ):
        flash("Admins must turn on two-factor authentication before going on.")
        return redirect(url_for("two_factor.settings"), code=303)
    return None
