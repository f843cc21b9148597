"""A reader's requests for their own comments (a copy, or erasing them), by a link mailed to
them. The routes, and what every page of theirs gets, are in app/privacy_requests/__init__.py."""

import json

from flask import Response
from flask import abort
from flask import render_template
from flask import request

from app.cross_origin import reader_form
from app.email_links.forms import ConfirmForm
from app.email_links.forms import PrivacyRequestForm
from app.extensions import db
from app.privacy_requests.requests import erase_for
from app.privacy_requests.requests import export_for
from app.privacy_requests.requests import request_by_email
from app.privacy_requests.requests import request_from

ERASE_CHOICES = {"anonymise": False, "delete": True}


@reader_form
def request_form():
    form = PrivacyRequestForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("privacy_requests/form.html", form=form), status
    request_by_email(form.email.data, form.what.data)
    db.session.commit()
    # The same answer whether or not the address has commented here.
    return render_template("privacy_requests/sent.html")


def confirm(token: str):
    address, what = request_from(token)
    if address is None or request.method != "POST":
        return render_template(
            "privacy_requests/confirm.html", address=address, what=what, form=ConfirmForm()
        )
    if what == "export":
        document = json.dumps(export_for(address), indent=2, ensure_ascii=False)
        return Response(
            document,
            mimetype="application/json",
            headers={"Content-Disposition": "attachment; filename=my-comments.json"},
        )
    how = request.form.get("how", "")
    if how not in ERASE_CHOICES:
        abort(400)
    count = erase_for(address, delete=ERASE_CHOICES[how])
    db.session.commit()
    return render_template("privacy_requests/erased.html", count=count, deleted=how == "delete")
