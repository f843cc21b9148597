"""An imported comment's fields made storable: as safe as a reader's, cut rather than refused.

A reader whose name is too long is asked to shorten it; an import cannot ask anyone. So
over-long names and websites are cut to the comment form's limits, invisible formatting is
dropped, an address that is not http(s) is left out, and every such change is named, for
the summary to count. The text is cleaned by the same sanitiser as a reader's comment.
"""

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache

from app.comments.submission import storable_user_agent
from app.email_syntax import InvalidEmail
from app.email_syntax import normalized_email
from app.porting.records import SourceComment
from app.validators import BIDI_AND_ZERO_WIDTH
from app.validators import EMAIL_LIMIT
from app.validators import NAME_LIMIT
from app.validators import WEBSITE_LIMIT
from app.validators import blank_if_invisible
from app.validators import normalise_text
from app.validators import web_url_problem

ANONYMOUS = "Anonymous"
# WordPress's own limit (its column holds 65,525 bytes): a longer text is no reader's
# comment, and the sanitiser would take seconds over it.
TEXT_LIMIT = 65_525
# Unicode's control characters (category Cc), with and without the three line breaks.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_BUT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
HIDDEN_FORMATTING = re.compile("[" + "".join(sorted(BIDI_AND_ZERO_WIDTH)) + "]")


@dataclass(frozen=True)
class StorableFields:
    name: str
    # None only where the source had erased it (our own export of an erased comment).
    email: str | None
    website: str | None
    ip_address: str | None
    user_agent: str | None
    body_raw: str


def storable_fields(comment: SourceComment) -> tuple[StorableFields, list[str]]:
    """The fields to store, and what had to change to store them (for the summary)."""
    changes: list[str] = []
    fields = StorableFields(
        name=storable_name(comment.name, changes),
        email=storable_email(comment.email, changes),
        website=storable_website(comment.website, changes),
        ip_address=storable_ip_address(comment.ip_address, changes),
        user_agent=storable_user_agent(comment.user_agent),
        body_raw=storable_text(comment.body, changes),
    )
    return fields, changes


def storable_name(name: str, changes: list[str]) -> str:
    text = normalise_text(name)
    # The form refuses these (they let a name pose as another); here they are dropped.
    visible = CONTROL_CHARACTERS.sub(" ", HIDDEN_FORMATTING.sub("", text)).strip()
    if visible != text.strip():
        changes.append("invisible characters taken out of a name")
    if not blank_if_invisible(visible):
        changes.append(f"no name, shown as “{ANONYMOUS}”")
        return ANONYMOUS
    if len(visible) > NAME_LIMIT:
        changes.append(f"name cut to {NAME_LIMIT} characters")
        return visible[:NAME_LIMIT].rstrip()
    return visible


def storable_email(email: str | None, changes: list[str]) -> str | None:
    if email is None:
        return None
    text = CONTROL_CHARACTERS.sub("", email).strip()
    if not text:
        changes.append("no email address (stored empty)")
        return ""
    try:
        # As the form stores it, so the desk's history by email finds both.
        return _normalized_email(text)
    except InvalidEmail:
        changes.append("email address not valid (kept as it was)")
        return normalise_text(text)[:EMAIL_LIMIT]


# An export names the same commenter many times; each address is checked once per process
# (an import's workers live as long as its run). A pure function of the text, so a bounded
# cache changes nothing but the time. Refused addresses raise again each time: they are few.
_normalized_email = lru_cache(maxsize=10_000)(normalized_email)


def storable_website(website: str, changes: list[str]) -> str | None:
    text = normalise_text(website).strip()
    if not text:
        return None
    if web_url_problem(text):
        changes.append("website left out (not an http(s) address)")
        return None
    if len(text) > WEBSITE_LIMIT:
        changes.append(f"website cut to {WEBSITE_LIMIT} characters")
        return text[:WEBSITE_LIMIT]
    return text


def storable_ip_address(text: str, changes: list[str]) -> str | None:
    text = text.strip()
    if not text:
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        changes.append("IP address left out (not an address)")
        return None
    # WordPress behind a dual-stack server records IPv4 readers as ::ffff:a.b.c.d.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(address)


def storable_text(body: str, changes: list[str]) -> str:
    text = normalise_text(body)
    printable = CONTROL_BUT_LINE_BREAKS.sub("", text)
    if printable != text:
        changes.append("control characters taken out of a text")
    if len(printable) > TEXT_LIMIT:
        changes.append(f"text cut to {TEXT_LIMIT:,} characters")
        return printable[:TEXT_LIMIT]
    return printable
