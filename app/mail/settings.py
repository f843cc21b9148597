"""The mail settings, read once and checked at start-up.

Settings given without the FLASK_ prefix arrive as text ("587", "false"), so they are read
here as the number and the switch they stand for.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formataddr
from email.utils import parseaddr
from typing import Any

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})
# Port 465 is "implicit TLS": the connection is encrypted before the first SMTP word.
IMPLICIT_TLS_PORT = 465


@dataclass(frozen=True)
class MailSettings:
    server: str | None
    port: int
    use_tls: bool
    username: str | None
    password: str | None
    sender: str
    timeout: float

    @property
    def writes_to_file(self) -> bool:
        return not self.server

    @property
    def sender_domain(self) -> str:
        return parseaddr(self.sender)[1].rpartition("@")[2] or "localhost"


class MailSettingsError(RuntimeError):
    pass


def as_switch(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise MailSettingsError(f"{name}={value!r} must be true or false.")


def as_number(name: str, value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise MailSettingsError(f"{name}={value!r} must be a whole number.") from error


def mail_settings(config: Mapping[str, Any]) -> MailSettings:
    server = (config.get("MAIL_SERVER") or "").strip() or None
    sender = config.get("MAIL_FROM") or ""
    if not sender:
        if server:
            raise MailSettingsError(
                "MAIL_SERVER is set but MAIL_FROM is not: set the address mail is sent from, "
                "e.g. 'The Morning Ledger <newsroom@news.example.com>'."
            )
        # Only ever written to the file in the instance folder. formataddr, not
        # email.headerregistry: every worker checks these settings at start, and that module
        # alone costs it 0.5 MB.
        sender = formataddr((config["SITE_NAME"], "newsroom@localhost"))
    elif "@" not in parseaddr(sender)[1]:
        raise MailSettingsError(f"MAIL_FROM={sender!r} is not an email address.")
    return MailSettings(
        server=server,
        port=as_number("MAIL_PORT", config.get("MAIL_PORT", 587)),
        use_tls=as_switch("MAIL_USE_TLS", config.get("MAIL_USE_TLS", True)),
        username=config.get("MAIL_USERNAME") or None,
        password=config.get("MAIL_PASSWORD") or None,
        sender=sender,
        timeout=float(as_number("MAIL_TIMEOUT_SECONDS", config.get("MAIL_TIMEOUT_SECONDS", 10))),
    )


def check_settings(config: Mapping[str, Any]) -> None:
    """Fail at start-up, naming the setting, rather than when the first message is due."""
    settings = mail_settings(config)
    if settings.server and not config.get("SITE_URL"):
        raise MailSettingsError(
            "MAIL_SERVER is set but SITE_URL is not: emails link to the site, and links made "
            "by `send-mail` (outside any request) need the site's public address."
        )
    for name in ("MAIL_SEND_IN_BACKGROUND", "TRUSTED_AUTHORS_AUTO_APPROVE"):
        as_switch(name, config.get(name))
    for name in ("MAIL_DIGEST_MINUTES", "MAIL_KEEP_SENT_DAYS"):
        as_number(name, config.get(name))
