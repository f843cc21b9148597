"""Each test's own database: an SQLite file by default, PostgreSQL with TEST_DATABASE_URL.

TEST_DATABASE_URL names a PostgreSQL server and a database to connect to for administration
(`postgresql+psycopg://postgres@127.0.0.1:5433/postgres`); the user must be allowed to
create databases. The migrations run once per test session into a template database, and
every test gets a fresh copy (`CREATE DATABASE ... TEMPLATE`, a file copy in the server),
dropped when the test ends. `.ci/run` starts such a server and runs the whole suite on it.
"""

import itertools
import os
import shutil
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app import create_app
from app.config import SQLITE_FILENAME
from app.extensions import db
from app.migrations import upgrade_to_newest

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
USING_POSTGRES = bool(TEST_DATABASE_URL)


class SqliteDatabases:
    """Copies of one migrated file: faster than running the migrations for every test."""

    def __init__(self, folder: Path, settings_for) -> None:
        app = create_app(settings_for(folder, DATABASE_URL=None))
        with app.app_context():
            upgrade_to_newest(app)
            db.engine.dispose()
        self.migrated = folder / SQLITE_FILENAME

    def database_url(self, instance_folder: Path, migrated: bool) -> str | None:
        """None: the app's own default, the SQLite file in its instance folder."""
        if migrated:
            shutil.copy(self.migrated, instance_folder / SQLITE_FILENAME)
        return None

    def drop_url(self, url: str | None) -> None:
        pass

    def drop_all(self) -> None:
        pass


class PostgresDatabases:
    def __init__(self, folder: Path, settings_for, server_url: str) -> None:
        self.server_url = make_url(server_url)
        # CREATE and DROP DATABASE cannot run inside a transaction.
        self.admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"ledger_test_{os.getpid()}"
        self.numbers = itertools.count()
        self.made: list[str] = []
        self.template = self._create(f"{self.prefix}_template", template="template0")
        app = create_app(settings_for(folder, DATABASE_URL=self._url(self.template)))
        with app.app_context():
            upgrade_to_newest(app)
            # A template may not have connections while it is copied.
            db.engine.dispose()

    def database_url(self, instance_folder: Path, migrated: bool) -> str:
        name = f"{self.prefix}_{next(self.numbers)}"
        return self._url(self._create(name, self.template if migrated else "template0"))

    def drop_all(self) -> None:
        for name in reversed(self.made):
            self.drop(name)
        self.admin.dispose()

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self.made:
            self.made.remove(name)

    def drop_url(self, url: str | None) -> None:
        if url:
            self.drop(make_url(url).database)

    def _create(self, name: str, template: str) -> str:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        self.made.append(name)
        return name

    def _url(self, name: str) -> str:
        return self.server_url.set(database=name).render_as_string(hide_password=False)


def databases_for_this_run(folder: Path, settings_for) -> SqliteDatabases | PostgresDatabases:
    if USING_POSTGRES:
        return PostgresDatabases(folder, settings_for, TEST_DATABASE_URL)
    return SqliteDatabases(folder, settings_for)
