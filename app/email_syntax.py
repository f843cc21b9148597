"""Checking the syntax of an email address: the one module that uses email_validator.

Only forms that take an address need it, so it loads with the first address checked: a web
worker that serves pages and the desk does without it and idna (0.5 MB). Syntax only: a DNS
lookup would make forms slow and leak readers' domains.
"""


class InvalidEmail(ValueError):
    """The text is not a usable address; the message says why, in email_validator's words."""


def normalized_email(text: str) -> str:
    import email_validator  # here, not at the top: see the module's docstring

    try:
        return email_validator.validate_email(text, check_deliverability=False).normalized
    except email_validator.EmailNotValidError as error:
        raise InvalidEmail(str(error)) from error
