"""`flask --app wsgi import-comments FILE` and `export-comments`: the operator's side.

The commands own the transactions: one commit per batch of comments written, so a run
stopped by an error keeps what it wrote, says where it stopped, and a rerun continues.
"""

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Protocol
from xml.etree.ElementTree import ParseError

import click
from flask import Flask
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.porting.exporter import comment_count
from app.porting.exporter import export_comments
from app.porting.formats import EXPORT_FORMATS
from app.porting.formats import IMPORT_FORMATS
from app.porting.formats import CountingReader
from app.porting.formats import detect_format
from app.porting.formats import read_records
from app.porting.importer import CommentImporter
from app.porting.importer import ImportOptions
from app.porting.placement import read_map_file
from app.porting.preparation import default_workers
from app.porting.records import ImportFileError
from app.porting.runs import end_run
from app.porting.runs import start_run

# What stops an import half-way: a broken file, or a database that refused a batch.
IMPORT_ERRORS = (ImportFileError, ParseError, UnicodeDecodeError, SQLAlchemyError, OSError)
EXTENSIONS = {"wordpress": "xml", "json": "jsonl"}


class Progress(Protocol):
    def update(self, steps: int) -> None: ...


class _Silent:
    def update(self, steps: int) -> None:
        pass


@contextmanager
def progress_bar(length: int, label: str) -> Iterator[Progress]:
    """A bar on a terminal; nothing in a log or a pipe, where the summary says it all."""
    if not sys.stderr.isatty():
        yield _Silent()
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar


@click.command("import-comments")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(IMPORT_FORMATS),
    help="Default: told from the file.",
)
@click.option("--dry-run", is_flag=True, help="Print what would be imported; write nothing.")
@click.option(
    "--map",
    "map_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of 'old address or id,our-slug' rows, asked first when placing comments.",
)
@click.option("--comments-only", is_flag=True, help="Create no article; list what found none.")
@click.option("--pages", is_flag=True, help="Also import comments on WordPress pages.")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1, max=10_000),
    default=500,
    show_default=True,
    help="Comments written per transaction.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0, max=64),
    default=default_workers(),
    show_default="this machine's cores",
    help="Processes that clean comments beside the import; 0 cleans them in it.",
)
@with_appcontext
def import_comments_command(
    file: Path,
    file_format: str | None,
    dry_run: bool,
    map_file: Path | None,
    comments_only: bool,
    pages: bool,
    batch_size: int,
    workers: int,
) -> None:
    """Import comments from a WordPress (WXR), Disqus or JSON Lines export. Safe to rerun."""
    try:
        file_format = file_format or detect_format(file)
        mapping = read_map_file(map_file) if map_file else {}
    except (ImportFileError, UnicodeDecodeError, OSError) as error:
        raise click.ClickException(f"{file.name}: {error}") from error
    importer = CommentImporter(
        ImportOptions(
            dry_run=dry_run,
            comments_only=comments_only,
            mapping=mapping,
            batch_size=batch_size,
            workers=workers,
            max_depth=current_app.config["COMMENT_THREAD_DEPTH"],
        )
    )
    run = None
    if not dry_run:
        run = start_run("import", file.name, file_format)
        db.session.commit()
    finish_transaction = db.session.rollback if dry_run else db.session.commit
    with file.open("rb") as raw, progress_bar(file.stat().st_size, "Importing") as bar:
        stream = CountingReader(raw)
        records = read_records(
            file_format, stream, current_app.config["SITE_TIMEZONE"], include_pages=pages
        )
        shown = 0
        try:
            for _ in importer.batches(records):
                finish_transaction()
                importer.committed()
                bar.update(stream.position - shown)
                shown = stream.position
            importer.finish()
            finish_transaction()
            importer.committed()
        except IMPORT_ERRORS as error:
            db.session.rollback()
            problem = _describe(error)
            if run is not None:
                end_run(run, importer.summary.as_record(), error=problem)
                db.session.commit()
            click.echo("\n".join(importer.summary.lines()))
            raise click.ClickException(
                f"{file.name}: stopped near byte {stream.position:,} "
                f"(after comment {importer.last_source_id or 'none'}): {problem}. "
                + (
                    "The comments counted above as imported are stored; run the same "
                    "command again to continue from there."
                    if not dry_run
                    else "Nothing was written."
                )
            ) from error
    if run is not None:
        end_run(run, importer.summary.as_record())
        db.session.commit()
    click.echo(f"{file.name} ({file_format}):")
    click.echo("\n".join(importer.summary.lines()))
    if dry_run:
        click.echo("Dry run: nothing was written.")


def _describe(error: Exception) -> str:
    if isinstance(error, ParseError):
        line, column = error.position
        return f"the XML is broken at line {line:,}, column {column:,}"
    if isinstance(error, SQLAlchemyError):
        # The type only: the statement's values hold commenters' emails.
        return f"the database refused a batch ({type(error.orig or error).__name__})"
    return str(error)


@click.command("export-comments")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(EXPORT_FORMATS),
    default="wordpress",
    show_default=True,
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Default: comments-DATE.xml (or .jsonl) here. '-' writes to standard output.",
)
@with_appcontext
def export_comments_command(file_format: str, output: Path | None) -> None:
    """Export every article and all its comments, every status. The file holds personal data."""
    output = output or Path(f"comments-{date.today().isoformat()}.{EXTENSIONS[file_format]}")
    to_stdout = str(output) == "-"
    run = start_run("export", "(standard output)" if to_stdout else output.name, file_format)
    db.session.commit()
    total = comment_count()
    articles = written = 0
    config = current_app.config
    with (
        _private_file(output) as target,
        progress_bar(total, "Exporting") as bar,
    ):
        for count in export_comments(
            target.write,
            file_format,
            site_name=config["SITE_NAME"],
            site_url=config["SITE_URL"],
            site_timezone=config["SITE_TIMEZONE"],
        ):
            articles += 1
            written += count
            bar.update(count)
    end_run(run, {"comments": written, "articles": articles})
    db.session.commit()
    where = "standard output" if to_stdout else str(output)
    click.echo(
        f"Exported {written:,} comments on {articles:,} articles ({file_format}) to {where}. "
        "The file holds commenters' emails and IP addresses: keep it private.",
        err=to_stdout,
    )


@contextmanager
def _private_file(path: Path):
    """Readable by its owner only (0600) from its first byte, and in place only once whole:
    it is written beside its destination and renamed when complete."""
    if str(path) == "-":
        yield sys.stdout
        return
    descriptor, temporary = tempfile.mkstemp(
        dir=path.resolve().parent, prefix=f".{path.name}.", suffix=".part"
    )
    try:
        # mkstemp already makes it 0600; said here because it is the point.
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as target:
            yield target
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def register(app: Flask) -> None:
    app.cli.add_command(import_comments_command)
    app.cli.add_command(export_comments_command)
