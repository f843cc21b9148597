"""Our news site as production runs it: a fresh instance folder, `init-db`, a moderator."""

import os
import secrets
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from app import PROJECT_ROOT
from app.config import SQLITE_FILENAME
from bench.gunicorn_servers import ServedApp
from bench.processes import StartedProcesses

VIRTUALENV_BIN = Path(sys.executable).parent
DEMO_SLUG = "paris-summit-ukraine-post-war-security"
MODERATOR_NAME = "bench-desk"
MODERATOR_PASSWORD = secrets.token_urlsafe(18)


class ProductSite:
    def __init__(self, processes: StartedProcesses, name: str, instance_path: Path) -> None:
        self.processes = processes
        self.name = name
        self.instance_path = instance_path
        instance_path.mkdir(parents=True)
        self.environment = {
            "FLASK_INSTANCE_PATH": str(instance_path),
            "SECRET_KEY": secrets.token_hex(32),
            # The POST run sends thousands of comments from one address on purpose.
            "FLASK_RATELIMIT_ENABLED": "false",
        }

    @property
    def database_path(self) -> Path:
        return self.instance_path / SQLITE_FILENAME

    def init_db(self) -> None:
        self._flask("init-db")

    def create_moderator(self) -> None:
        self._flask("create-moderator", MODERATOR_NAME, MODERATOR_PASSWORD=MODERATOR_PASSWORD)

    def served(self) -> ServedApp:
        return ServedApp(
            name=self.name,
            gunicorn=VIRTUALENV_BIN / "gunicorn",
            wsgi_app="wsgi:app",
            environment=self.environment,
        )

    def comment_count(self) -> int:
        with closing(sqlite3.connect(self.database_path)) as connection:
            return connection.execute("SELECT count(*) FROM comments").fetchone()[0]

    def _flask(self, *arguments: str, **environment: str) -> None:
        self.processes.run(
            [VIRTUALENV_BIN / "flask", "--app", "wsgi", *arguments],
            env={**os.environ, **self.environment, **environment},
            cwd=PROJECT_ROOT,
        )
