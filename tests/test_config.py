import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app import PROJECT_ROOT
from app import create_app
from app.config import DefaultSettings
from app.config import MissingSecretKey
from app.secret_key import ensure_secret_key_file


@pytest.fixture
def bare_environment(monkeypatch):
    for name in (
        "SECRET_KEY",
        "FLASK_SECRET_KEY",
        "DATABASE_URL",
        "FLASK_DATABASE_URL",
        "FLASK_SITE_NAME",
        "FLASK_DEBUG",
        "FLASK_TESTING",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_refuses_to_start_without_a_secret_key(bare_environment, tmp_path):
    with pytest.raises(MissingSecretKey, match="Set the SECRET_KEY environment variable"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_reads_the_key_file_made_by_the_serve_command(bare_environment, tmp_path):
    key_file = ensure_secret_key_file(tmp_path)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SECRET_KEY"] == key_file.read_text().strip()


def test_secret_key_from_the_environment_wins_over_the_file(bare_environment, tmp_path):
    ensure_secret_key_file(tmp_path)
    bare_environment.setenv("SECRET_KEY", "shared-by-every-machine")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SECRET_KEY"] == "shared-by-every-machine"


def test_debug_mode_runs_without_a_configured_key(bare_environment, tmp_path):
    bare_environment.setenv("FLASK_DEBUG", "true")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert len(app.config["SECRET_KEY"]) >= 32


def test_key_file_is_private_and_never_replaced(tmp_path):
    key_file = ensure_secret_key_file(tmp_path)
    first = key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.strip()) == 64
    ensure_secret_key_file(tmp_path)
    assert key_file.read_text() == first


def test_key_file_command_runs_on_its_own(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "app.secret_key", str(tmp_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "secret_key" in result.stdout
    assert (tmp_path / "secret_key").is_file()


def test_settings_come_from_defaults_then_instance_file_then_environment(
    bare_environment, tmp_path
):
    bare_environment.setenv("SECRET_KEY", "k")
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).config["SITE_NAME"] == "The Morning Ledger"

    (tmp_path / "config.py").write_text(
        'SITE_NAME = "Instance Gazette"\nMODERATION_PAGE_SIZE = 20\n'
    )
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SITE_NAME"] == "Instance Gazette"

    bare_environment.setenv("FLASK_SITE_NAME", "Environment Herald")
    bare_environment.setenv("FLASK_MODERATION_PAGE_SIZE", "25")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SITE_NAME"] == "Environment Herald"
    assert app.config["MODERATION_PAGE_SIZE"] == 25


def test_database_defaults_to_sqlite_in_the_instance_folder(bare_environment, tmp_path):
    bare_environment.setenv("SECRET_KEY", "k")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'newsroom.sqlite3'}"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("DATABASE_URL", "sqlite:////tmp/elsewhere.db", "sqlite:////tmp/elsewhere.db"),
        ("FLASK_DATABASE_URL", "sqlite:////tmp/prefixed.db", "sqlite:////tmp/prefixed.db"),
        ("DATABASE_URL", "postgres://u:p@db/news", "postgresql+psycopg://u:p@db/news"),
    ],
)
def test_database_url_from_the_environment(bare_environment, tmp_path, variable, value, expected):
    bare_environment.setenv("SECRET_KEY", "k")
    bare_environment.setenv(variable, value)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_an_unknown_timezone_is_explained(bare_environment, tmp_path):
    bare_environment.setenv("SECRET_KEY", "k")
    with pytest.raises(RuntimeError, match="is not a timezone name"):
        create_app({"INSTANCE_PATH": str(tmp_path), "TIMEZONE": "Mars/Olympus_Mons"})


def test_templates_and_static_files_are_top_level_folders(app):
    assert Path(app.template_folder) == PROJECT_ROOT / "templates"
    assert Path(app.static_folder) == PROJECT_ROOT / "static"


def test_every_setting_has_a_line_in_the_readme_table():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    settings = [name for name in vars(DefaultSettings) if name.isupper()]
    assert settings
    missing = [name for name in settings if f"| `{name}` |" not in readme]
    assert missing == []
