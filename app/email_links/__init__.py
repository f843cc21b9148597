"""The pages the links in our emails open: moderating a held comment, confirming an address,
unsubscribing."""

from flask import Blueprint
from werkzeug.exceptions import NotFound

from app.email_links.moderation import UnusableLink
from app.errors import http_error
from app.errors import render_error
from app.lazy_views import LazyViews
from app.mail.links import LinkExpired
from app.mail.links import LinkInvalid

bp = Blueprint("email_links", __name__, url_prefix="/mail")
views = LazyViews(bp, "app.email_links.views")
views.route("/moderate/<token>", "moderate", methods=["GET", "POST"])
views.route("/confirm/<token>", "confirm_address", methods=["GET", "POST"])
views.route("/unsubscribe/<token>", "unsubscribe", methods=["GET", "POST"])
views.post("/unsubscribe/<token>/undo", "resubscribe")


@bp.after_request
def keep_private(response):
    # The pages hold a secret link and a reader's or a held comment's details.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.errorhandler(LinkExpired)
def expired(error):
    return render_error(
        410,
        "This link has expired",
        "Links in our emails work for 72 hours. Nothing was changed.",
    )


@bp.errorhandler(LinkInvalid)
def invalid(error):
    return http_error(NotFound())


@bp.errorhandler(UnusableLink)
def unusable(error):
    return render_error(403, "This link can’t be used", str(error))
