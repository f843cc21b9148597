"""A web worker loads only what serving needs: each module kept out here costs every worker memory.

The modules below are imported where they are used (a command, a mail being sent, a rarely seen
page). One imported at the top of a module again would silently cost each worker its share
of the benchmark's budget (row (e): at most 1.15 times the floor worker's), so a fresh
process serves the pages the benchmark measures and says which modules it holds.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import PROJECT_ROOT

pytestmark = pytest.mark.slow
BIN_FOLDER = Path(sys.executable).parent
DEMO_PATH = "/articles/paris-summit-ukraine-post-war-security"

# Module: what needs it, and so when a process loads it.
LOADED_ON_DEMAND = {
    "bleach": "cleaning what a reader or an editor wrote, on write",
    "email_validator": "checking an address someone typed (a comment, a block, an alert)",
    "idna": "checking an address someone typed (a comment, a block, an alert)",
    "alembic": "migrations: init-db and `flask db`",
    "flask_migrate": "migrations: init-db and `flask db`",
    "markdown": "publishing articles, and the policy pages' first view",
    "yaml": "publishing articles, and the policy pages' first view",
    "mailbox": "the first mail a process sends",
    "smtplib": "the first mail a process sends",
    "email.headerregistry": "the first mail a process sends",
    "statistics": "the desk's overview page",
    "segno": "setting up two-factor login",
    "pyotp": "a moderator's login with two-factor, and setting it up",
    "dns": "never: addresses are checked without looking up their domain",
    "sqlalchemy.dialects.postgresql": "a site on PostgreSQL; on SQLite, never",
    "app.porting.importer": "import-comments, run from the command line",
    "app.porting.exporter": "export-comments, run from the command line",
    "xml.etree.ElementTree": "reading a WordPress or Disqus export (import-comments)",
    "akismet": "Akismet's first job in a worker, and only with AKISMET_API_KEY",
    "httpx": "Akismet's first job in a worker, and only with AKISMET_API_KEY",
    "app.akismet_service.client": "Akismet's first job in a worker, and only with its key",
    "app.akismet_service.worker": "a site with AKISMET_API_KEY, at start (no akismet, no httpx)",
}
# With a key, the thread's own module loads at start; what talks to Akismet still waits.
LOADED_WITH_AKISMETS_FIRST_JOB = {"akismet", "httpx", "app.akismet_service.client"}

SERVE_AND_LIST_MODULES = f"""
import json, sys
from wsgi import app
client = app.test_client()
for path in ("{DEMO_PATH}", "/", "/auth/login"):
    assert client.get(path).status_code == 200, path
print(json.dumps(sorted(sys.modules)))
"""


@pytest.fixture
def site_environment(tmp_path):
    environment = {
        **os.environ,
        "FLASK_INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "worker-memory-test-secret",
    }
    environment.pop("DATABASE_URL", None)
    environment.pop("FLASK_RUN_FROM_CLI", None)
    subprocess.run(
        [BIN_FOLDER / "flask", "--app", "wsgi", "init-db"],
        cwd=PROJECT_ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )
    return environment


def modules_loaded_serving_pages(environment: dict) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", SERVE_AND_LIST_MODULES],
        cwd=PROJECT_ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_a_worker_serving_pages_loads_no_module_it_only_needs_on_demand(site_environment):
    loaded = modules_loaded_serving_pages(site_environment)
    assert sorted(loaded & LOADED_ON_DEMAND.keys()) == []


def test_a_worker_that_asks_akismet_loads_it_only_for_its_first_job(site_environment):
    environment = {
        **site_environment,
        "AKISMET_API_KEY": "a-key",
        "FLASK_SITE_URL": "https://news.example.com",
    }
    loaded = modules_loaded_serving_pages(environment)
    assert sorted(loaded & LOADED_WITH_AKISMETS_FIRST_JOB) == []
    assert "app.akismet_service.worker" in loaded
