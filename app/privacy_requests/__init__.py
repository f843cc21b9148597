"""Readers asking for a copy of their comments, or for them to be erased."""

from flask import Blueprint
from werkzeug.exceptions import NotFound

from app.errors import http_error
from app.errors import render_error
from app.lazy_views import LazyViews
from app.mail.links import LinkExpired
from app.mail.links import LinkInvalid

bp = Blueprint("privacy_requests", __name__, url_prefix="/privacy")
views = LazyViews(bp, "app.privacy_requests.views")
views.route("/requests", "request_form", methods=["GET", "POST"])
views.route("/requests/<token>", "confirm", methods=["GET", "POST"])


@bp.after_request
def keep_private(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(LinkExpired)
def expired(error):
    return render_error(
        410, "This link has expired", "Links in our emails work for 72 hours. Please ask again."
    )


@bp.errorhandler(LinkInvalid)
def invalid(error):
    return http_error(NotFound())
