"""Field checks shared by every form (readers', the desk's, admin's), each with a message a
reader can act on, and the lengths the fields may have."""

import re
import unicodedata
from urllib.parse import urlsplit

from wtforms import Field
from wtforms import Form
from wtforms.validators import ValidationError

from app.email_syntax import InvalidEmail
from app.email_syntax import normalized_email

# What a comment's fields may hold; longer input is refused, never cut short.
NAME_LIMIT = 100
EMAIL_LIMIT = 254
WEBSITE_LIMIT = 200
COMMENT_LIMIT = 5000

LINE_BREAKS = frozenset("\t\n\r")
# Characters that reorder or hide text: a name holding them can pose as someone else.
BIDI_AND_ZERO_WIDTH = frozenset(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2066\u2067\u2068\u2069\ufeff"
)
# Letters that draw nothing (Hangul fillers, the blank Braille pattern).
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})
WEB_ADDRESS_NEEDED = "Please give a full web address starting with http:// or https://."


def normalise_text(value: str | None) -> str | None:
    """NFC, so the same visible text is stored (and compared) as the same characters."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def strip_outer_whitespace(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def is_invisible(character: str) -> bool:
    return character in BLANK_LETTERS or unicodedata.category(character) in INVISIBLE_CATEGORIES


def blank_if_invisible(value: str | None) -> str | None:
    """A name made only of characters that draw nothing counts as no name at all."""
    if isinstance(value, str) and all(is_invisible(character) for character in value):
        return ""
    return value


def no_hidden_formatting(form: Form, field: Field) -> None:
    if field.data and any(character in BIDI_AND_ZERO_WIDTH for character in field.data):
        raise ValidationError(
            f"Your {field.label.text.lower()} contains invisible formatting characters "
            "(such as right-to-left or zero-width marks); please type it again without them."
        )


# Unicode's category Cc is exactly these two ranges; the second pattern spares LINE_BREAKS.
# One regex search instead of a category lookup per character (a comment POST checks four
# fields with it).
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_CHARACTER_BESIDES_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(value: str, allow_line_breaks: bool = False) -> bool:
    pattern = _CONTROL_CHARACTER_BESIDES_LINE_BREAKS if allow_line_breaks else _CONTROL_CHARACTER
    return pattern.search(value) is not None


class NoControlCharacters:
    def __init__(self, allow_line_breaks: bool = False):
        self.allow_line_breaks = allow_line_breaks

    def __call__(self, form: Form, field: Field) -> None:
        if field.data and has_control_characters(field.data, self.allow_line_breaks):
            raise ValidationError(
                f"Your {field.label.text.lower()} contains invisible control characters; "
                "please retype it."
            )


class MaxCharacters:
    """Refuses, never truncates: cutting stored text short is how comment XSS bugs began."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, form: Form, field: Field) -> None:
        length = len(field.data or "")
        if length > self.limit:
            raise ValidationError(
                f"Please keep your {field.label.text.lower()} to {self.limit:,} characters "
                f"or fewer; it is {length:,}."
            )


def email_address(form: Form, field: Field) -> None:
    if not field.data:
        return
    try:
        field.data = normalized_email(field.data)
    except InvalidEmail as error:
        raise ValidationError(f"That email address doesn’t look right: {error}") from error


def web_url_problem(address: str) -> str | None:
    """Why `address` is not a full http(s) address a page may link to, or None if it is."""
    if any(
        character.isspace() or unicodedata.category(character) in {"Cc", "Cf"}
        for character in address
    ):
        return "A web address cannot contain spaces or invisible characters."
    try:
        parts = urlsplit(address)
    except ValueError:
        return WEB_ADDRESS_NEEDED
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return WEB_ADDRESS_NEEDED
    return None


def absolute_web_url(form: Form, field: Field) -> None:
    if not field.data:
        return
    problem = web_url_problem(field.data)
    if problem:
        raise ValidationError(problem)
