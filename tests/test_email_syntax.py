"""A plain address skips email_validator, and is answered exactly as email_validator would."""

import email_validator
import email_validator.rfc_constants
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from app import email_syntax
from app.email_syntax import InvalidEmail
from app.email_syntax import normalized_email


def email_validators_answer(text: str) -> str:
    try:
        return email_validator.validate_email(text, check_deliverability=False).normalized
    except email_validator.EmailNotValidError as error:
        return f"refused: {error}"


def our_answer(text: str) -> str:
    try:
        return normalized_email(text)
    except InvalidEmail as error:
        return f"refused: {error}"


def test_the_lists_copied_from_email_validator_are_still_its_own():
    role_names = email_validator.rfc_constants.CASE_INSENSITIVE_MAILBOX_NAMES
    assert set(role_names) == email_syntax.CASE_INSENSITIVE_MAILBOX_NAMES
    special_use = email_validator.SPECIAL_USE_DOMAIN_NAMES
    assert set(special_use) == email_syntax.SPECIAL_USE_DOMAIN_NAMES


@pytest.mark.parametrize(
    "text",
    [
        "ada@example.org",
        "Ada.Lovelace+news@Mail.Example.ORG",
        "first_last-2@sub-domain.example.co",
        "Postmaster@example.org",
        "SUPPORT@example.org",
        "reader@example.test",
        "reader@mail.LOCALHOST",
        "reader@example.onion",
        "a--b@example.org",
        "reader@ab--cd.example",
        "reader@xn--bcher-kva.example",
        "reader@example.c0m",
        "reader@example.x",
        "reader@example",
        ".reader@example.org",
        "reader.@example.org",
        "re..ader@example.org",
        "reader@-example.org",
        "reader@example-.org",
        "reader@example..org",
        " reader@example.org",
        "reader@example.org\n",
        "Reader <reader@example.org>",
        '"quoted"@example.org',
        "réader@example.org",
        "reader@bücher.example",
        "r" * 60 + "@example.org",
        "r" * 64 + "@example.org",
        "r" * 65 + "@example.org",
        "reader@" + "l" * 64 + ".example",
        "",
        "@",
        "not-an-email",
        "ada@",
    ],
)
def test_every_address_is_answered_as_email_validator_answers_it(text):
    assert our_answer(text) == email_validators_answer(text)


PLAIN_LOOKING = st.from_regex(
    r"[A-Za-z0-9]{1,6}([._+-][A-Za-z0-9]{1,6}){0,3}@([A-Za-z0-9]{1,6}(-[A-Za-z0-9]{1,4})?\.){1,3}"
    r"([A-Za-z]{2,6}|[A-Za-z]|test|local|onion|arpa|invalid|localhost|TEST)",
    fullmatch=True,
)
NEARLY_PLAIN = st.from_regex(r"[A-Za-z0-9._+\-@ ]{0,14}@[A-Za-z0-9.\-]{0,14}", fullmatch=True)
ROLE_NAMES = st.sampled_from(sorted(email_syntax.CASE_INSENSITIVE_MAILBOX_NAMES)).map(
    lambda name: f"{name.capitalize()}@example.org"
)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(PLAIN_LOOKING, NEARLY_PLAIN, ROLE_NAMES))
def test_plain_and_nearly_plain_addresses_are_answered_as_email_validator_answers_them(text):
    assert our_answer(text) == email_validators_answer(text)


def test_a_plain_address_is_answered_without_email_validator():
    assert email_syntax.plain_address_normalized("Ada@Example.ORG") == "Ada@example.org"
    assert email_syntax.plain_address_normalized("ada@example.test") is None
    assert email_syntax.plain_address_normalized("ada@bücher.example") is None
