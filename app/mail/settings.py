"""The mail settings, checked at start-up (app/config.py has already typed them)."""

from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formataddr
from email.utils import parseaddr
from typing import Any

from app.config import SettingError

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


class MailSettingsError(SettingError):
    pass


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
        port=config["MAIL_PORT"],
        use_tls=config["MAIL_USE_TLS"],
        username=config.get("MAIL_USERNAME") or None,
        password=config.get("MAIL_PASSWORD") or None,
        sender=sender,
        timeout=float(config["MAIL_TIMEOUT_SECONDS"]),
    )


def check_settings(config: Mapping[str, Any]) -> None:
    """Fail at start-up, naming the setting, rather than when the first message is due."""
    settings = mail_settings(config)
    if settings.server and not config.get("SITE_URL"):
        raise MailSettingsError(
            "MAIL_SERVER is set but SITE_URL is not: emails link to the site, and links made "
            "by `send-mail` (outside any request) need the site's public address."
        )
