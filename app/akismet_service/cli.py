"""`verify-akismet-key`: whether Akismet accepts the key for SITE_URL, before comments rely
on it (the site never asks on its own: a refused key shows in the log, comment by comment)."""

import click
from flask import current_app
from flask.cli import with_appcontext

from app.akismet_service.client import AkismetFailed
from app.akismet_service.client import AkismetService


@click.command("verify-akismet-key")
@with_appcontext
def verify_akismet_key_command() -> None:
    """Ask Akismet whether it accepts AKISMET_API_KEY for SITE_URL."""
    config = current_app.config
    if not config.get("AKISMET_API_KEY"):
        raise click.ClickException("AKISMET_API_KEY is not set: Akismet is off.")
    with AkismetService(config) as service:
        try:
            accepted = service.verify_key()
        except AkismetFailed as failure:
            raise click.ClickException(f"Akismet gave no answer: {failure.kind}.") from failure
    if not accepted:
        raise click.ClickException(f"Akismet refuses the key for {config['SITE_URL']}.")
    click.echo(f"Akismet accepts the key for {config['SITE_URL']}.")
