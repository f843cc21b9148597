"""Sending what the outbox holds: right after the request that queued it, and from cron.

Delivery runs outside any request, like a CLI command, so it commits its own work: the
claim before sending, the result after. Nothing here logs an address or a server's words
(which can quote one): only message ids, counts and the kind of error.
"""

import logging
from dataclasses import dataclass

from flask import Flask
from flask import current_app
from flask import has_request_context
from sqlalchemy import event

from app.extensions import db
from app.mail import outbox
from app.mail.settings import mail_settings
from app.worker_threads import WorkerThread

logger = logging.getLogger(__name__)
BATCH_SIZE = 100
EXTENSION_KEY = "mail_background_sender"


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    refused: int = 0
    # Set when the server could not be reached: the rest of the batch waits for the next run.
    stopped_by: str | None = None


def deliver_due(app: Flask, limit: int = BATCH_SIZE) -> DeliveryReport:
    """Send the messages that are due, each claimed first so two senders never send one twice."""
    # Here, not at the top: smtplib, mailbox and the email package's message classes load
    # with the first mail a process sends, not in every web worker.
    from app.mail.transport import DeliveryError
    from app.mail.transport import transport_for

    settings = mail_settings(app.config)
    transport = transport_for(settings, app.instance_path)
    report = DeliveryReport()
    try:
        for message_id in outbox.due_message_ids(limit):
            message = outbox.claim(message_id)
            db.session.commit()
            if message is None:
                continue
            try:
                transport.send(composed(message, settings.sender))
            except DeliveryError as error:
                outbox.mark_failed(message, error.description, error.permanent)
                db.session.commit()
                logger.warning("Mail %s not sent: %s", message.id, error.description)
                if error.permanent:
                    report.refused += 1
                    continue
                report.retrying += 1
                report.stopped_by = error.description
                break
            outbox.mark_sent(message)
            db.session.commit()
            report.sent += 1
    finally:
        transport.close()
    return report


def composed(message, sender: str):
    """The message as sent; one the email package cannot build is refused for good, not retried."""
    from app.mail.transport import DeliveryError  # here, not at the top: see deliver_due
    from app.mail.transport import compose

    try:
        return compose(message, sender)
    except (ValueError, TypeError) as error:
        raise DeliveryError(f"Unsendable {type(error).__name__}", permanent=True) from error


class BackgroundSender(WorkerThread):
    """One thread per worker process, woken after each commit that queued mail.

    A wake-up while it runs makes it go round once more, so a burst of comments starts one
    thread, not one each. If the process dies mid-send, the claim runs out and `send-mail`
    sends the message later (possibly a second time: delivery is at least once).
    """

    name = "mail-sender"

    def __init__(self, app: Flask):
        super().__init__()
        self.app = app
        self.again = False

    def wake(self) -> None:
        with self.lock:
            if self.thread is not None:
                self.again = True
                return
            self.start(self._run)

    def _run(self) -> None:
        while True:
            with self.app.app_context():
                try:
                    deliver_due(self.app)
                except Exception as error:  # noqa: BLE001  (the thread must not die silently)
                    # The type only: a database error's text can quote an address.
                    logger.error("Background mail delivery failed: %s", type(error).__name__)
                finally:
                    db.session.remove()
            with self.lock:
                if not self.again:
                    self.thread = None
                    return
                self.again = False


def background_sender(app: Flask) -> BackgroundSender:
    return app.extensions.setdefault(EXTENSION_KEY, BackgroundSender(app))


def _send_after_commit(session) -> None:
    # Releasing a savepoint fires after_commit too, before anything is visible to the thread.
    if session.in_nested_transaction() or not session.info.pop(outbox.QUEUED_KEY, False):
        return
    # Requests hand their mail to the thread; `send-mail` delivers its own.
    app = current_app._get_current_object()
    if has_request_context() and app.config["MAIL_SEND_IN_BACKGROUND"]:
        background_sender(app).wake()


def _forget_after_rollback(session, previous_transaction) -> None:
    # A savepoint rolled back (a duplicate send) leaves the outer transaction's mail queued.
    if previous_transaction.nested:
        return
    session.info.pop(outbox.QUEUED_KEY, None)


def listen_for_commits() -> None:
    # db.session is shared by every app in the process: listen once.
    if not event.contains(db.session, "after_commit", _send_after_commit):
        event.listen(db.session, "after_commit", _send_after_commit)
        event.listen(db.session, "after_soft_rollback", _forget_after_rollback)
