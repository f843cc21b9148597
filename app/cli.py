"""Operator commands (`flask --app wsgi COMMAND`): thin wrappers over domain functions."""

import importlib
import json
import sqlite3
from functools import cached_property
from pathlib import Path

import click
from flask import Flask
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func
from sqlalchemy import select

from app.articles.importer import ArticleFileError
from app.articles.importer import parse_article
from app.articles.importer import publish_article
from app.auth.accounts import AccountError
from app.auth.accounts import create_moderator
from app.auth.accounts import reset_password as reset_moderator_password
from app.auth.throttle import prune_failures
from app.backup import BackupError
from app.backup import back_up_sqlite
from app.extensions import db
from app.maintenance import resanitize_articles
from app.maintenance import resanitize_comments
from app.migrations import upgrade_to_newest
from app.models import AlertMode
from app.models import Article
from app.notifications.cli import send_mail_command
from app.notifications.moderators import AlertSettingsError
from app.notifications.moderators import change_alert_settings
from app.personal_data import anonymise_commenter
from app.personal_data import delete_commenter
from app.personal_data import export_commenter
from app.personal_data import forget_old_client_details
from app.spam_filter import cli as spam_filter_cli
from app.spam_filter.training import retrain_if_features_changed

DEMO_ARTICLE = Path(__file__).resolve().parent / "demo" / "paris-ukraine-security-summit.md"


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Bring the database schema up to date; on an empty database, add the demo article;
    after an upgrade that changed the spam filter's features, teach it every decision again."""
    upgrade_to_newest(current_app._get_current_object())
    relearned = retrain_if_features_changed()
    db.session.commit()
    if relearned is not None and relearned.spam + relearned.good:
        click.echo(
            f"Spam filter learned its {relearned.spam} spam and {relearned.good} good decisions "
            "again (its features or the SECRET_KEY had changed)."
        )
    if db.session.scalar(select(func.count()).select_from(Article)) == 0:
        article, _ = publish_article(parse_article(DEMO_ARTICLE.read_text(encoding="utf-8")))
        db.session.commit()
        click.echo(f"Database ready, with the demo article at /articles/{article.slug}")
    else:
        click.echo("Database ready.")


@click.command("create-moderator")
@with_appcontext
@click.argument("username")
@click.password_option(
    "--password",
    envvar="MODERATOR_PASSWORD",
    help="Read from MODERATOR_PASSWORD when set; otherwise asked for at a hidden prompt.",
)
@click.option("--admin", is_flag=True, help="Also manages moderators, settings and personal data.")
@click.option(
    "--reset-password",
    is_flag=True,
    help="Give an existing moderator a new password (ends all their sessions).",
)
@click.option("--email", help="Where alerts about held comments go (one email per comment).")
def create_moderator_command(
    username: str, password: str, admin: bool, reset_password: bool, email: str | None
):
    """Add a moderator account, or reset an existing one's password."""
    try:
        if reset_password:
            moderator = reset_moderator_password(username, password)
        else:
            moderator = create_moderator(username, password, is_admin=admin)
        if email:
            change_alert_settings(moderator, email, AlertMode.EACH)
    except (AccountError, AlertSettingsError) as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    if reset_password:
        click.echo(f"Password of {moderator.username!r} changed; their sessions have ended.")
    else:
        role = "Admin" if admin else "Moderator"
        click.echo(f"{role} {moderator.username!r} created. They can log in at /auth/login")


@click.command("import-article")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_article_command(file: Path) -> None:
    """Publish an article from a Markdown file, or update the one with the same slug."""
    try:
        source = parse_article(file.read_text(encoding="utf-8"))
    except (ArticleFileError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{file}: {error}") from error
    article, created = publish_article(source)
    db.session.commit()
    verb = "Published" if created else "Updated"
    click.echo(f"{verb} {article.title!r} at /articles/{article.slug}")


@click.command("prune-ip-addresses")
@with_appcontext
@click.option("--days", type=click.IntRange(min=0), help="Default: IP_RETENTION_DAYS.")
def prune_ip_addresses_command(days: int | None) -> None:
    """Erase IP addresses and user agents from older comments (run it daily from cron)."""
    days = current_app.config["IP_RETENTION_DAYS"] if days is None else days
    erased = forget_old_client_details(days)
    failures = prune_failures()
    db.session.commit()
    click.echo(
        f"Erased IP addresses from {erased} comments older than {days} days; "
        f"removed {failures} old login failures."
    )


@click.command("resanitize")
@with_appcontext
def resanitize_command() -> None:
    """Re-clean every comment (from its raw text) and article with the current sanitiser."""
    seen = changed = 0
    for batch_seen, batch_changed in resanitize_comments():
        db.session.commit()
        seen, changed = seen + batch_seen, changed + batch_changed
    articles = resanitize_articles()
    db.session.commit()
    click.echo(f"Re-cleaned {seen} comments ({changed} changed) and {articles} articles changed.")


@click.command("export-commenter")
@with_appcontext
@click.argument("email")
def export_commenter_command(email: str) -> None:
    """Print everything stored about an email address's comments, as JSON."""
    click.echo(json.dumps(export_commenter(email), indent=2, ensure_ascii=False))


@click.command("erase-commenter")
@with_appcontext
@click.argument("email")
@click.option("--delete", "delete_comments", is_flag=True, help="Delete the comments entirely.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_commenter_command(email: str, delete_comments: bool, yes: bool) -> None:
    """Anonymise (or with --delete, remove) every comment written with an email address."""
    what = "delete" if delete_comments else "anonymise"
    if not yes:
        click.confirm(f"{what.capitalize()} every comment written with this address?", abort=True)
    count = delete_commenter(email) if delete_comments else anonymise_commenter(email)
    db.session.commit()
    click.echo(f"{count} comments {what}d.")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH while the site keeps serving (PostgreSQL: pg_dump)."""
    if db.engine.dialect.name != "sqlite":
        raise click.ClickException(
            "backup copies SQLite databases. Back up PostgreSQL with pg_dump (see the README)."
        )
    try:
        size = back_up_sqlite(Path(db.engine.url.database), path)
    except (BackupError, sqlite3.Error, OSError) as error:
        raise click.ClickException(f"Backup failed: {error}") from error
    click.echo(f"Backed up the database to {path} ({size:,} bytes, integrity check ok).")


def register(app: Flask) -> None:
    app.cli.add_command(init_db_command)
    app.cli.add_command(create_moderator_command)
    app.cli.add_command(import_article_command)
    app.cli.add_command(prune_ip_addresses_command)
    app.cli.add_command(resanitize_command)
    app.cli.add_command(export_commenter_command)
    app.cli.add_command(erase_commenter_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(send_mail_command)
    spam_filter_cli.register(app)
    # The importers and exporters (with their XML parsers) cost a web worker 1.3 MB.
    app.cli.add_command(
        CommandLoadedOnUse(
            "import-comments",
            "app.porting.cli:import_comments_command",
            "Import comments from WordPress (WXR), Disqus or our JSON Lines.",
        )
    )
    app.cli.add_command(
        CommandLoadedOnUse(
            "export-comments",
            "app.porting.cli:export_comments_command",
            "Export every article and all its comments, every status.",
        )
    )
    # Like the thread that talks to Akismet, the command loads akismet and httpx only when run.
    app.cli.add_command(
        CommandLoadedOnUse(
            "verify-akismet-key",
            "app.akismet_service.cli:verify_akismet_key_command",
            "Ask Akismet whether it accepts AKISMET_API_KEY for SITE_URL.",
        )
    )


class CommandLoadedOnUse(click.Command):
    """A command whose module is imported only when the command line asks for it (to run
    it, or for its help), so that web workers, which never run it, do not hold it."""

    def __init__(self, name: str, location: str, short_help: str) -> None:
        super().__init__(name, short_help=short_help)
        self.location = location

    @cached_property
    def command(self) -> click.Command:
        module, attribute = self.location.split(":")
        return getattr(importlib.import_module(module), attribute)

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return self.command.get_params(ctx)

    def get_help(self, ctx: click.Context) -> str:
        return self.command.get_help(ctx)

    def invoke(self, ctx: click.Context):
        return self.command.invoke(ctx)
