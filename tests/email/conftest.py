"""A real SMTP server on loopback (aiosmtpd) and a site that sends to it."""

import logging
import re
import socket
from dataclasses import dataclass
from email import message_from_bytes
from email import policy
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from app.extensions import db
from app.models import AlertMode
from app.models import Moderator
from app.notifications.moderators import change_alert_settings
from tests.conftest import add_test_moderator

SITE_URL = "https://news.example"
SENDER = "The Morning Ledger <newsroom@news.example>"
MODERATOR_EMAIL = "sam.moderator@newsroom.example"
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LINK = re.compile(r"https?://\S+")


@dataclass
class Received:
    mail_from: str
    recipients: list[str]
    message: EmailMessage

    @property
    def body(self) -> str:
        return self.message.get_content().replace("\r\n", "\n")

    def links(self, containing: str = "") -> list[str]:
        return [link for link in LINK.findall(self.body) if containing in link]


class RecordingHandler:
    """Keeps every message; can be told to refuse the next ones, as a failing server would."""

    def __init__(self):
        self.received: list[Received] = []
        self.refuse_data: str | None = None
        self.refuse_recipients: str | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipients:
            return self.refuse_recipients
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data:
            return self.refuse_data
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [item for item in self.received if address in item.recipients]


@dataclass
class SmtpServer:
    handler: RecordingHandler
    port: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    # The test server's own log names addresses; it is not the site, whose log never does.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield SmtpServer(handler, controller.port)
    controller.stop()


def mail_settings(port: int, **overrides) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USE_TLS": False,
        "MAIL_FROM": SENDER,
        "SITE_URL": SITE_URL,
        # Tests send with `send-mail` when they choose; one test covers the thread.
        "MAIL_SEND_IN_BACKGROUND": False,
        **overrides,
    }


@pytest.fixture
def app(make_app, smtp_server):
    """Every fixture built on `app` (article, desk, ...) gets the site that mails the server."""
    return make_app(**mail_settings(smtp_server.port))


@pytest.fixture
def mail_app(app):
    return app


@pytest.fixture
def inbox(smtp_server) -> RecordingHandler:
    return smtp_server.handler


def send_mail(app):
    return app.test_cli_runner().invoke(args=["send-mail"])


def alerted_moderator(app, username="sam", email=MODERATOR_EMAIL, mode=AlertMode.EACH) -> int:
    add_test_moderator(app, username)
    with app.app_context():
        moderator = db.session.query(Moderator).filter_by(username=username).one()
        change_alert_settings(moderator, email, mode)
        db.session.commit()
        return moderator.id


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def addresses_in(received: Received) -> set[str]:
    """Every address a message shows, in its headers and its text."""
    headers = [f"{k}: {v}" for k, v in received.message.items() if k.lower() != "message-id"]
    text = received.body + "\n" + "\n".join(headers)
    return {address.lower() for address in ADDRESS.findall(text)}
