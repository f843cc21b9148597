"""Checking the syntax of an email address: the one module that uses email_validator.

Syntax only: a DNS lookup would make forms slow and leak readers' domains.

email_validator and idna take a web worker's memory up by 0.7 MB (idna's tables load with the
first address checked; 0.27 MB at the peak of a worker driven like the benchmark's), so they
load only for an address that is not plain. Most addresses are: letters, digits and single
`.`, `_`, `+` or `-` between them before the @; after it, labels of letters and digits (single
hyphens inside) and a top-level domain of letters. For those, email_validator's answer is
known without asking it (the address as typed, its domain in lower case, a role name such as
Postmaster in lower case, or a refusal for a special-use domain, which is left to
email_validator to word), and tests/test_email_syntax.py checks, address by address, that the
two answer alike. A worker that serves pages and the desk, and takes comments from plain
addresses, never loads email_validator.
"""

import re

_PLAIN_ADDRESS = re.compile(
    r"(?P<local>[A-Za-z0-9]+(?:[._+-][A-Za-z0-9]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+[A-Za-z]{2,63})"
)
# Within every length limit email_validator checks (64 before the @, 253 after, 254 in all).
PLAIN_ADDRESS_MAX_LENGTH = 64
# email_validator's own lists (tests/test_email_syntax.py checks they still are): local parts
# it lower-cases, and domains under which it accepts no address.
CASE_INSENSITIVE_MAILBOX_NAMES = frozenset(
    {
        "info", "marketing", "sales", "support", "abuse", "noc", "security", "postmaster",
        "hostmaster", "usenet", "news", "webmaster", "www", "uucp", "ftp",
    }
)  # fmt: skip
SPECIAL_USE_DOMAIN_NAMES = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})


class InvalidEmail(ValueError):
    """The text is not a usable address; the message says why, in email_validator's words."""


def normalized_email(text: str) -> str:
    plain = plain_address_normalized(text)
    if plain is not None:
        return plain
    import email_validator  # here, not at the top: see the module's docstring

    try:
        return email_validator.validate_email(text, check_deliverability=False).normalized
    except email_validator.EmailNotValidError as error:
        raise InvalidEmail(str(error)) from error


def plain_address_normalized(text: str) -> str | None:
    """email_validator's normalised form of a plain address it accepts; None for any other."""
    if len(text) > PLAIN_ADDRESS_MAX_LENGTH:
        return None
    match = _PLAIN_ADDRESS.fullmatch(text)
    if match is None:
        return None
    local_part, domain = match["local"], match["domain"].lower()
    if domain.rsplit(".", 1)[1] in SPECIAL_USE_DOMAIN_NAMES:
        return None
    if local_part.lower() in CASE_INSENSITIVE_MAILBOX_NAMES:
        local_part = local_part.lower()
    return f"{local_part}@{domain}"
