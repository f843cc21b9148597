"""Who an unsubscribe link speaks for, and what stopping (and starting again) means for them."""

from app import subscriptions
from app.extensions import db
from app.mail.links import read
from app.models import AlertMode
from app.models import Moderator
from app.models import ReaderAddress
from app.notifications.moderators import change_alert_settings
from app.notifications.unsubscribe import PURPOSE

Recipient = ReaderAddress | Moderator


def recipient_for(token: str) -> Recipient | None:
    """None when the address has since been erased (the link itself was good)."""
    payload = read(PURPOSE, token, expires=False)
    if isinstance(payload.get("r"), int):
        return subscriptions.address_with_id(payload["r"])
    if isinstance(payload.get("m"), int):
        return db.session.get(Moderator, payload["m"])
    return None


def stop_mail(recipient: Recipient | None) -> None:
    if isinstance(recipient, ReaderAddress):
        subscriptions.unsubscribe(recipient)
    elif isinstance(recipient, Moderator):
        change_alert_settings(recipient, recipient.email, AlertMode.OFF)


def start_mail_again(recipient: Recipient | None) -> None:
    if isinstance(recipient, ReaderAddress):
        subscriptions.resubscribe(recipient)
    elif isinstance(recipient, Moderator):
        change_alert_settings(recipient, recipient.email, AlertMode.EACH)
