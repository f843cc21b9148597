"""How connections and transactions behave, so several gunicorn workers can share one SQLite file.

PostgreSQL needs none of this: its own locking already lets writers wait their turn.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

import click
from flask import Flask
from flask import g
from flask import has_app_context
from flask import has_request_context
from flask import request
from sqlalchemy import Connection
from sqlalchemy import event

from app.extensions import db

# Requests with these methods only read; every other method is expected to write.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_READS_ONLY_FROM_NOW = "database_reads_only_from_now"
_READS_FIRST = "database_reads_first"
_READING_CONNECTION = "database_reading_connection"
_WRITES_IN_BACKGROUND = "database_writes_in_background"
# SQLite's page cache per connection, in KiB (its default is 2,000). The operating system
# already caches the file, so a smaller cache reads the desk's 100,000-comment queue just as
# fast, and each worker (one connection per thread) keeps 1.5 MB less per connection.
SQLITE_PAGE_CACHE_KIB = 512


def register(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        wait_ms = int(float(app.config["SQLITE_BUSY_TIMEOUT_SECONDS"]) * 1000)
        configure = partial(configure_sqlite_connection, busy_timeout_ms=wait_ms)
        event.listen(engine, "connect", configure)
        event.listen(engine, "begin", _begin_sqlite_transaction)


def configure_sqlite_connection(dbapi_connection, connection_record, busy_timeout_ms: int) -> None:
    # pysqlite's own BEGIN comes only before the first INSERT or UPDATE, too late to be
    # IMMEDIATE; with isolation_level None it sends none, and _begin_sqlite_transaction does.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # A writer that finds the database locked waits this long before giving up. It must stay
    # well below gunicorn's worker timeout, so the reader gets a clean 503, not a killed worker.
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    # WAL lets readers carry on while a comment is written.
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL may lose the last commits on power loss; a comment we acknowledged
    # must survive that.
    cursor.execute("PRAGMA synchronous=FULL")
    # Off by default in SQLite.
    cursor.execute("PRAGMA foreign_keys=ON")
    # Negative: a size in KiB rather than a number of pages.
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_PAGE_CACHE_KIB}")
    cursor.close()


def _begin_sqlite_transaction(connection) -> None:
    """BEGIN IMMEDIATE when the transaction is going to write, plain BEGIN otherwise.

    A plain BEGIN takes the write lock only at the first INSERT or UPDATE. By then the
    transaction has read the database; if another worker committed in between, SQLite cannot
    wait for the lock (the busy timeout does not apply) and fails at once with "database is
    locked". Under a few concurrent comments that loses most of them. BEGIN IMMEDIATE takes
    the write lock first, waiting up to the busy timeout, so writers queue up instead.
    Reads keep a plain BEGIN: in WAL mode they never wait for a writer.

    We decide per request, not per code path: every POST (and every operator command) begins
    IMMEDIATE, so a new view that writes is safe without remembering a special call.
    """
    if transaction_will_write():
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        # Straight to the driver: a plain BEGIN takes no lock, so it neither waits nor fails
        # for one (SQLAlchemy's error handling has nothing to do). Through SQLAlchemy it cost
        # about 80,000 instructions on every request that reads.
        connection.connection.driver_connection.execute("BEGIN")


def transaction_will_write() -> bool:
    if has_request_context():
        return (
            request.method not in READING_METHODS
            and not g.get(_READS_ONLY_FROM_NOW, False)
            and not g.get(_READS_FIRST, False)
        )
    if has_app_context() and g.get(_WRITES_IN_BACKGROUND, False):
        return True
    # Operator commands (flask --app wsgi ...) write; other code outside a request only reads.
    # Not `flask shell`: a transaction there may stay open while someone thinks, and holding
    # the write lock all that time would turn away every comment.
    command = click.get_current_context(silent=True)
    return command is not None and command.command.name != "shell"


def writes_in_background() -> None:
    """Work of a background thread that reads, then writes (Akismet's answers): each of its
    transactions begins IMMEDIATE, as a POST's does, so it waits for other writers."""
    setattr(g, _WRITES_IN_BACKGROUND, True)


def read_only_from_now() -> None:
    """After the database stayed locked, a request can still show a page from plain reads."""
    db.session.rollback()
    setattr(g, _READS_ONLY_FROM_NOW, True)


def reads_first() -> None:
    """This POST reads and checks before it writes: plain BEGIN until write_from_here().

    On SQLite every other worker's write waits while one holds the write lock, and a waiting
    worker sleeps in steps (1, 2, 5, 10 ms...). Holding it only for the writing, not while
    the request reads, checks and cleans, is what lets comments through side by side. Code
    that reads first decides what another writer may change in between (see
    app/comments/submission.py's receive_comment).
    """
    setattr(g, _READS_FIRST, True)


def write_from_here() -> None:
    """End the reading transaction; the next statement begins one that writes.

    Rows already loaded stay loaded (no expiry on this commit): they were only read.
    """
    if not g.pop(_READS_FIRST, False):
        return
    session = db.session()
    if session.in_transaction():
        expire_on_commit = session.expire_on_commit
        session.expire_on_commit = False
        try:
            session.commit()
        finally:
            session.expire_on_commit = expire_on_commit


@contextmanager
def reading_connection() -> Iterator[Connection]:
    """A connection for a few plain reads, without opening the ORM session if it is not open.

    On a page that only reads, beginning and closing the session costs more than the queries
    themselves. Reads nested inside this block share its connection. Once the session has a
    transaction, reads go through it, so they see what this request has changed and not yet
    committed.
    """
    shared = g.get(_READING_CONNECTION)
    if shared is not None:
        yield shared
        return
    # A plain reader's request never creates a session object, let alone a transaction.
    if db.session.registry.has() and db.session().in_transaction():
        yield db.session().connection()
        return
    with db.engine.connect() as connection:
        setattr(g, _READING_CONNECTION, connection)
        try:
            yield connection
        finally:
            g.pop(_READING_CONNECTION, None)
