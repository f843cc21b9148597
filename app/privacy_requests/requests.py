"""Readers' own export and erasure requests, confirmed by a link sent to the address.

No account is needed: whoever can read the address's mail may have its comments. The form
always answers the same, so it tells nobody whether an address has commented here, and it
only writes to addresses that have.
"""

from datetime import timedelta

from sqlalchemy import func
from sqlalchemy import select

from app import subscriptions
from app.extensions import db
from app.mail.bodies import render_body
from app.mail.links import read
from app.mail.links import sign
from app.mail.links import site_link
from app.mail.outbox import queue_message
from app.mail.outbox import recent_count
from app.models import Comment
from app.models import MessageKind
from app.models import ReaderAddress
from app.notifications.unsubscribe import reader_unsubscribe_url
from app.notifications.unsubscribe import unsubscribe_headers
from app.personal_data import anonymise_commenter
from app.personal_data import delete_commenter
from app.personal_data import export_commenter

PURPOSE = "privacy"
WHAT = ("export", "erase")
KIND = MessageKind.PRIVACY_REQUEST
# Per address: enough for a reader who lost the first email, too few to pester anyone.
REQUESTS_PER_HOUR = 3


def request_by_email(email: str, what: str) -> None:
    if what not in WHAT or not _has_comments(email):
        return
    address = subscriptions.ensure_address(email)
    if recent_count(KIND, address.email, timedelta(hours=1)) >= REQUESTS_PER_HOUR:
        return
    confirm_url = site_link(
        "privacy_requests.confirm", token=sign(PURPOSE, {"r": address.id, "a": what})
    )
    unsubscribe_url = reader_unsubscribe_url(address)
    body = render_body(
        "mail/privacy_request.txt",
        what=what,
        confirm_url=confirm_url,
        unsubscribe_url=unsubscribe_url,
    )
    subject = (
        "Your copy of your comments: please confirm"
        if what == "export"
        else "Erasing your comments: please confirm"
    )
    queue_message(KIND, address.email, subject, body, unsubscribe_headers(unsubscribe_url))


def request_from(token: str) -> tuple[ReaderAddress | None, str]:
    """The address (None once erased) and what was asked for; raises for bad or old links."""
    payload = read(PURPOSE, token)
    what = payload.get("a") if payload.get("a") in WHAT else "export"
    return subscriptions.address_with_id(payload.get("r")), what


def export_for(address: ReaderAddress) -> dict:
    return export_commenter(address.email)


def erase_for(address: ReaderAddress, delete: bool) -> int:
    email = address.email
    return delete_commenter(email) if delete else anonymise_commenter(email)


def _has_comments(email: str) -> bool:
    query = select(Comment.id).where(
        func.lower(Comment.author_email) == subscriptions.normalised(email)
    )
    return db.session.scalar(query.limit(1)) is not None
