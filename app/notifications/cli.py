"""`flask --app wsgi send-mail`: run it from cron or a systemd timer every few minutes.

It lives here, not in app/mail/, because it first decides what is due (moderators' digests),
which is this package's job; mail/ only keeps and sends what it is given.
"""

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.mail import outbox
from app.mail.delivery import deliver_due
from app.notifications.moderators import queue_due_digests


@click.command("send-mail")
@with_appcontext
def send_mail_command() -> None:
    """Queue due digests, send what the outbox holds (retrying failures), prune old mail."""
    app = current_app._get_current_object()
    try:
        digests = queue_due_digests()
    except RuntimeError as error:  # no SITE_URL to link to: send the rest all the same
        db.session.rollback()
        click.echo(f"No digests: {error}", err=True)
        digests = 0
    pruned = outbox.prune_sent(int(app.config["MAIL_KEEP_SENT_DAYS"]))
    db.session.commit()
    sent = retrying = refused = 0
    while True:
        report = deliver_due(app)
        sent, retrying, refused = (
            sent + report.sent,
            retrying + report.retrying,
            refused + report.refused,
        )
        if report.stopped_by or report.sent + report.refused == 0:
            break
    waiting = outbox.waiting_count()
    click.echo(
        f"Sent {sent} message{'' if sent == 1 else 's'} ({digests} digests queued); "
        f"{waiting} waiting; {refused} refused for good; {pruned} old messages deleted."
    )
    if report.stopped_by:
        raise click.ClickException(
            f"The mail server failed ({report.stopped_by}); {waiting} messages wait for the "
            "next run."
        )
