"""Handing finished messages over: to an SMTP server, or to a file when none is configured.

smtplib and email.message from the standard library do the talking; this module only opens
the connection the settings describe and turns its failures into two kinds: worth trying
again later (the server is down, busy or refuses us) and not (it refuses this recipient).
"""

import mailbox
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from app.mail.settings import IMPLICIT_TLS_PORT
from app.mail.settings import MailSettings
from app.models import OutgoingMessage

MAILBOX_FILENAME = "outgoing-mail.mbox"


class DeliveryError(Exception):
    """A message was not sent. `permanent` means trying again cannot help."""

    def __init__(self, description: str, permanent: bool = False):
        super().__init__(description)
        self.description = description
        self.permanent = permanent


def compose(message: OutgoingMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    # RFC 3834: out-of-office robots must not answer.
    email["Auto-Submitted"] = "auto-generated"
    for name, value in message.headers.items():
        email[name] = value
    email.set_content(message.body)
    return email


class SmtpTransport:
    """One connection for a batch of messages."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def open(self) -> None:
        settings = self.settings
        try:
            if settings.port == IMPLICIT_TLS_PORT:
                self.connection = smtplib.SMTP_SSL(
                    settings.server,
                    settings.port,
                    timeout=settings.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                self.connection = smtplib.SMTP(
                    settings.server, settings.port, timeout=settings.timeout
                )
                if settings.use_tls:
                    self.connection.starttls(context=ssl.create_default_context())
            if settings.username:
                self.connection.login(settings.username, settings.password or "")
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise DeliveryError(describe(error)) from error

    def send(self, email: EmailMessage) -> None:
        if self.connection is None:
            self.open()
        try:
            self.connection.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise DeliveryError(describe(error), permanent=all(c >= 500 for c in codes)) from error
        except smtplib.SMTPDataError as error:
            # The server read the message and refused it for good (too big, say).
            raise DeliveryError(describe(error), permanent=error.smtp_code >= 500) from error
        except (smtplib.SMTPException, OSError) as error:
            # Sender refused, disconnected, timed out: the server's or our settings' fault,
            # not this message's, so it waits for the next try.
            self.close()
            raise DeliveryError(describe(error)) from error

    def close(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.quit()
        except (smtplib.SMTPException, OSError):
            self.connection.close()
        self.connection = None


class MailboxTransport:
    """Appends to an mbox file (open it with `mutt -f` or any mail program)."""

    def __init__(self, path: Path):
        self.path = path

    def open(self) -> None:
        pass

    def send(self, email: EmailMessage) -> None:
        box = mailbox.mbox(self.path)
        box.lock()  # gunicorn workers and `send-mail` may append at the same time
        try:
            box.add(email)
            box.flush()
        finally:
            box.unlock()
            box.close()

    def close(self) -> None:
        pass


def transport_for(settings: MailSettings, instance_path: str):
    if settings.writes_to_file:
        return MailboxTransport(Path(instance_path) / MAILBOX_FILENAME)
    return SmtpTransport(settings)


def describe(error: Exception) -> str:
    """The kind of failure and the server's code: never its words, which may name the address."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = ",".join(str(code) for code, _ in error.recipients.values())
    return f"{type(error).__name__}" + (f" {code}" if code else "")
