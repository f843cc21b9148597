"""Email: an outbox written with the event, sent after the commit, retried by `send-mail`."""

from flask import Flask

from app.mail import delivery
from app.mail.settings import check_settings


def register(app: Flask) -> None:
    check_settings(app.config)
    delivery.listen_for_commits()
