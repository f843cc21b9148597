import json

from flask import Blueprint
from flask import Response
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_login import current_user
from flask_login import login_required

from app.admin.forms import CommenterForm
from app.auth.two_factor_views import require_admin_two_factor
from app.extensions import db
from app.personal_data import anonymise_commenter
from app.personal_data import delete_commenter
from app.personal_data import export_commenter

bp = Blueprint("admin", __name__, url_prefix="/admin")

ERASERS = {
    "anonymise": (anonymise_commenter, "anonymised: shown as “Anonymous”, with no email or IP"),
    "delete": (delete_commenter, "deleted"),
}


@bp.before_request
@login_required
def require_admin():
    if not current_user.is_admin:
        abort(403)
    return require_admin_two_factor()


@bp.get("/personal-data")
def personal_data():
    return render_template("admin/personal_data.html", form=CommenterForm())


@bp.post("/personal-data/export")
def export_personal_data():
    form = CommenterForm()
    if not form.validate_on_submit():
        return render_template("admin/personal_data.html", form=form), 400
    document = json.dumps(export_commenter(form.email.data), indent=2, ensure_ascii=False)
    # The address is in the body only: filenames and URLs end up in logs and histories.
    disposition = "attachment; filename=commenter-export.json"
    return Response(
        document, mimetype="application/json", headers={"Content-Disposition": disposition}
    )


@bp.post("/personal-data/<action>")
def erase_personal_data(action: str):
    erase, done = ERASERS.get(action) or abort(404)
    form = CommenterForm()
    if not form.validate_on_submit():
        return render_template("admin/personal_data.html", form=form), 400
    if not form.confirm.data:
        form.confirm.errors = ["Please tick the box to confirm."]
        return render_template("admin/personal_data.html", form=form), 400
    count = erase(form.email.data)
    db.session.commit()
    flash(f"{count} comment{'' if count == 1 else 's'} {done}.")
    return redirect(url_for("admin.personal_data"), code=303)
