"""The pages email links open. Every link only shows a page on GET and HEAD (mail scanners
fetch links to look at them); what it does happens on the POST from that page.

The one POST without a CSRF token is unsubscribing: mail programs send it themselves
(RFC 8058 one-click), and the signed link is the proof.
"""

from flask import Blueprint
from flask import abort
from flask import make_response
from flask import render_template
from flask import request
from werkzeug.exceptions import NotFound

from app import subscriptions
from app.automoderation.reasons import describe
from app.email_links.forms import ConfirmForm
from app.email_links.moderation import UnusableLink
from app.email_links.moderation import link_from
from app.email_links.moderation import state_of
from app.email_links.moderation import what_happened
from app.email_links.unsubscribing import recipient_for
from app.email_links.unsubscribing import start_mail_again
from app.email_links.unsubscribing import stop_mail
from app.errors import http_error
from app.errors import render_error
from app.extensions import csrf
from app.extensions import db
from app.mail.links import LinkExpired
from app.mail.links import LinkInvalid
from app.mail.links import read
from app.moderation.actions import NotAllowed
from app.moderation.actions import apply
from app.notifications.action_links import PURPOSE as MODERATE
from app.notifications.readers import CONFIRM_PURPOSE
from app.status_changes import StaleAction
from app.trusted_authors import remember_proof

bp = Blueprint("email_links", __name__, url_prefix="/mail")


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


@bp.route("/moderate/<token>", methods=["GET", "POST"])
def moderate(token: str):
    link = link_from(read(MODERATE, token))
    state = state_of(link)
    form = ConfirmForm()
    if request.method != "POST" or not state.can_act:
        status = 409 if request.method == "POST" else 200
        return moderation_page(state, form, status)
    try:
        apply(link.action, link.comment_id, link.seen, link.moderator)
    except (StaleAction, NotAllowed):
        db.session.rollback()
        return moderation_page(state_of(link), form, 409)
    db.session.commit()
    return moderation_page(state_of(link), form, done=True)


def moderation_page(state, form, status: int = 200, done: bool = False):
    body = render_template(
        "email_links/moderate.html",
        state=state,
        form=form,
        done=done,
        what_happened=what_happened(state) if state.changed else "",
        reasons=[describe(code) for code in state.comment.moderation_reasons]
        if state.comment
        else [],
    )
    return body, status


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_address(token: str):
    payload = read(CONFIRM_PURPOSE, token)
    address = subscriptions.address_with_id(payload.get("r")) or abort(404)
    form = ConfirmForm()
    if request.method != "POST":
        return render_template("email_links/confirm_address.html", form=form, done=False)
    subscriptions.confirm(address)
    db.session.commit()
    response = make_response(render_template("email_links/confirm_address.html", done=True))
    # This browser followed the link: comments sent from it may count as the address's.
    remember_proof(response, address.id)
    return response


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    recipient = recipient_for(token)
    if request.method == "POST":
        stop_mail(recipient)
        db.session.commit()
    return render_template(
        "email_links/unsubscribe.html",
        recipient=recipient,
        done=request.method == "POST",
        form=ConfirmForm(),
        token=token,
    )


@bp.post("/unsubscribe/<token>/undo")
def resubscribe(token: str):
    recipient = recipient_for(token) or abort(404)
    start_mail_again(recipient)
    db.session.commit()
    return render_template("email_links/resubscribed.html", recipient=recipient)
