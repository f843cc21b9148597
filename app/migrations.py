"""Schema migrations (Flask-Migrate), set up only where they are used.

Flask-Migrate brings in Alembic, which costs every process about 11 MB. Web workers never
migrate (`init-db` runs before gunicorn starts), so the extension is set up for command-line
runs only, and on demand (tests, `init-db`).
"""

import os
from pathlib import Path

from flask import Flask

from app.extensions import db

DIRECTORY = Path(__file__).resolve().parent.parent / "migrations"


def set_up_migrations(app: Flask):
    import flask_migrate  # here, not at the top: see the module's docstring

    if "migrate" not in app.extensions:
        flask_migrate.Migrate(
            app, db, directory=str(DIRECTORY), render_as_batch=True, compare_type=True
        )
    return flask_migrate


def upgrade_to_newest(app: Flask) -> None:
    set_up_migrations(app).upgrade()


def register(app: Flask) -> None:
    """`flask --app wsgi db ...` works; gunicorn's workers do without Alembic."""
    if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
        set_up_migrations(app)
