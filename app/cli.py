"""Operator commands (`flask --app wsgi COMMAND`): thin wrappers over domain functions."""

from pathlib import Path

import click
import flask_migrate
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func
from sqlalchemy import select

from app.articles.importer import ArticleFileError
from app.articles.importer import parse_article
from app.articles.importer import publish_article
from app.auth.accounts import AccountError
from app.auth.accounts import create_moderator
from app.extensions import db
from app.models import Article

DEMO_ARTICLE = Path(__file__).resolve().parent / "demo" / "paris-ukraine-security-summit.md"


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Bring the database schema up to date; on an empty database, add the demo article."""
    flask_migrate.upgrade()
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
def create_moderator_command(username: str, password: str) -> None:
    """Add a moderator account."""
    try:
        moderator = create_moderator(username, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Moderator {moderator.username!r} created. They can log in at /auth/login")


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


def register(app: Flask) -> None:
    app.cli.add_command(init_db_command)
    app.cli.add_command(create_moderator_command)
    app.cli.add_command(import_article_command)
