"""The one-click unsubscribe every message carries (RFC 2369 and RFC 8058 headers)."""

from app.mail.links import sign
from app.mail.links import site_link
from app.models import Moderator
from app.models import ReaderAddress

PURPOSE = "unsubscribe"


def reader_unsubscribe_url(address: ReaderAddress) -> str:
    return site_link("email_links.unsubscribe", token=sign(PURPOSE, {"r": address.id}))


def moderator_unsubscribe_url(moderator: Moderator) -> str:
    return site_link("email_links.unsubscribe", token=sign(PURPOSE, {"m": moderator.id}))


def unsubscribe_headers(url: str) -> dict[str, str]:
    # Mail programs show an "Unsubscribe" button that POSTs "List-Unsubscribe=One-Click".
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
