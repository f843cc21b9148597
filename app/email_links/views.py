"""The pages email links open. Every link only shows a page on GET and HEAD (mail scanners
fetch links to look at them); what it does happens on the POST from that page.

The one POST without a CSRF token is unsubscribing: mail programs send it themselves
(RFC 8058 one-click), and the signed link is the proof.

The routes, and what every page of theirs gets, are in app/email_links/__init__.py.
"""

from flask import abort
from flask import make_response
from flask import render_template
from flask import request

from app import subscriptions
from app.automoderation.reasons import describe
from app.email_links.forms import ConfirmForm
from app.email_links.moderation import link_from
from app.email_links.moderation import state_of
from app.email_links.moderation import what_happened
from app.email_links.unsubscribing import recipient_for
from app.email_links.unsubscribing import start_mail_again
from app.email_links.unsubscribing import stop_mail
from app.extensions import csrf
from app.extensions import db
from app.mail.links import read
from app.moderation.actions import NotAllowed
from app.moderation.actions import apply
from app.notifications.action_links import PURPOSE as MODERATE
from app.notifications.readers import CONFIRM_PURPOSE
from app.status_changes import StaleAction
from app.trusted_authors import remember_proof


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


def resubscribe(token: str):
    recipient = recipient_for(token) or abort(404)
    start_mail_again(recipient)
    db.session.commit()
    return render_template("email_links/resubscribed.html", recipient=recipient)
