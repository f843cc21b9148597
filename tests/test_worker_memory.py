"""A web worker loads only what serving needs: each module kept out here costs every worker memory.

The modules below are imported where they are used (a command, a mail being sent, a rarely seen
page). One imported at the top of a module again would silently cost each worker its share
of the benchmark's budget (row (e): at most 1.15 times the floor worker's), so a fresh
process serves the pages the benchmark measures and says which modules it holds.

The views of seldom used pages load on their first request (app/lazy_views.py): a reader's
worker holds none of them, and each page works when it is the first its worker serves.
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from app import PROJECT_ROOT
from tests.helpers import STAMP_URL
from tests.helpers import csrf_token_from
from tests.serving import GunicornSite

pytestmark = pytest.mark.slow
BIN_FOLDER = Path(sys.executable).parent
ADMIN_PASSWORD = "a long admin password"
DEMO_PATH = "/articles/paris-summit-ukraine-post-war-security"

# Module: what needs it, and so when a process loads it.
LOADED_ON_DEMAND = {
    "bleach": "cleaning what a reader or an editor wrote, on write",
    "email_validator": "checking an address someone typed that is not plain (app/email_syntax.py)",
    "idna": "checking an address someone typed that is not plain (app/email_syntax.py)",
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
    "app.cli": "a command (app/command_line.py)",
    "app.backup": "the backup command",
    "app.maintenance": "the resanitize command",
    "app.notifications.cli": "the send-mail command",
    "app.spam_filter.cli": "the spam filter's commands",
    "app.spam_filter.evaluation": "the spam filter's report, run from the command line",
    "app.spam_filter.training": "init-db and the spam filter's commands",
    "app.personal_data": "a command, an admin's page or a reader's privacy request",
    "app.porting.importer": "import-comments, run from the command line",
    "app.porting.exporter": "export-comments, run from the command line",
    "xml.etree.ElementTree": "reading a WordPress or Disqus export (import-comments)",
    "akismet": "Akismet's first job in a worker, and only with AKISMET_API_KEY",
    "httpx": "Akismet's first job in a worker, and only with AKISMET_API_KEY",
    "app.akismet_service.client": "Akismet's first job in a worker, and only with its key",
    "app.akismet_service.worker": "a site with AKISMET_API_KEY, at start (no akismet, no httpx)",
}
# Module: the pages whose first request loads it (app/lazy_views.py).
LOADED_ON_FIRST_USE = {
    "app.admin.views": "an admin's page",
    "app.admin.forms": "an admin's page",
    "app.admin.audit": "an admin's page",
    "app.porting.runs": "an admin's page",
    "app.email_links.views": "a link in one of our emails",
    "app.email_links.unsubscribing": "a link in one of our emails",
    "app.email_links.forms": "a link in one of our emails, or a reader's privacy request",
    "app.privacy_requests.views": "a reader's privacy request",
    "app.privacy_requests.requests": "a reader's privacy request",
    "app.reports.views": "a reader reporting a comment",
    "app.reports.forms": "a reader reporting a comment",
    "app.reports.filing": "a reader reporting a comment",
    "app.feeds.views": "a feed",
    "app.moderation.views": "the desk",
    "app.moderation.action_views": "a button on the desk",
    "app.moderation.queues": "the desk",
    "app.moderation.overview": "the desk",
    "app.moderation.edits": "a button on the desk",
    "app.moderation.forms": "a button on the desk",
    "app.moderation.picks": "a button on the desk",
    "app.moderation.blocklist": "a button on the desk, or an admin's page",
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
READ_AND_COMMENT_AND_LIST_MODULES = f"""
import json, sys
from wsgi import app
client = app.test_client()
for path in ("/", "{DEMO_PATH}"):
    assert client.get(path).status_code == 200, path
form = {{
    "stamp": client.get("{STAMP_URL}").get_json()["stamp"],
    "name": "First Reader",
    "email": "first.reader@example.org",
    "body": "A reader's first comment.",
}}
sent = client.post("{DEMO_PATH}/comments", data=form, headers={{"Sec-Fetch-Site": "same-origin"}})
assert sent.status_code == 303, sent.status_code
assert client.get("{DEMO_PATH}").status_code == 200
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


def modules_loaded_serving_pages(
    environment: dict, script: str = SERVE_AND_LIST_MODULES
) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", script],
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


def test_a_readers_worker_that_takes_a_comment_loads_no_rare_view_nor_email_validator(
    site_environment,
):
    environment = {**site_environment, "FLASK_COMMENT_MIN_SECONDS": "0"}
    loaded = modules_loaded_serving_pages(environment, READ_AND_COMMENT_AND_LIST_MODULES)
    assert sorted(loaded & LOADED_ON_FIRST_USE.keys()) == []
    # The reader's address is plain: email_validator is not needed to check it.
    assert sorted(loaded & {"email_validator", "idna"}) == []


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor over real HTTP: keeps cookies, reports redirects and errors as answers."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(), NoRedirects()
        )

    def open(self, path: str, form: dict | None = None, **headers: str):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers)
        try:
            with self.opener.open(request) as answer:
                return answer.status, answer.headers, answer.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read().decode()


@pytest.fixture
def one_fresh_worker(tmp_path, empty_database_url):
    settings = {"FLASK_COMMENT_MIN_SECONDS": "0"}
    with GunicornSite(tmp_path, empty_database_url, workers=1, settings=settings) as site:
        site.flask("create-moderator", "ada", "--admin", MODERATOR_PASSWORD=ADMIN_PASSWORD)
        yield site


def test_each_page_loaded_on_first_use_works_as_its_workers_first_request(one_fresh_worker):
    """Each view loads on its first request, which must pass the same checks as any other:
    reader_form's and the unsubscribe link's exemptions from Flask-WTF's token must already
    count for it, and an admin's form must still need the token."""
    reader = Browser(one_fresh_worker.base_url)
    same_origin = {"Sec-Fetch-Site": "same-origin"}
    stamp = json.loads(reader.open(STAMP_URL)[2])["stamp"]
    comment = {"stamp": stamp, "name": "Early Reader", "email": "early@example.org", "body": "Hi."}
    status, headers, _ = reader.open(f"{DEMO_PATH}/comments", comment, **same_origin)
    assert status == 303
    comment_id = int(headers["Location"].rsplit("#comment-", 1)[1])

    status, headers, _ = reader.open("/feeds/articles.atom")
    assert (status, headers["Content-Type"]) == (200, "application/atom+xml; charset=utf-8")
    assert reader.open(f"/feeds{DEMO_PATH}/comments.atom")[0] == 200
    asked = {"email": "early@example.org", "what": "export"}
    status, headers, _ = reader.open("/privacy/requests", asked, **same_origin)
    assert (status, headers["Cache-Control"]) == (200, "no-store")
    # No token needed (mail programs send this POST): the link is the proof, and this one is forged.
    status, headers, _ = reader.open("/mail/unsubscribe/forged", {})
    assert (status, headers["Cache-Control"]) == (404, "no-store")

    admin = Browser(one_fresh_worker.base_url)
    assert admin.open("/admin/")[0] == 302
    token = csrf_token_from(admin.open("/auth/login")[2])
    login = {"csrf_token": token, "username": "ada", "password": ADMIN_PASSWORD}
    assert admin.open("/auth/login", login)[0] == 303
    assert admin.open("/admin/settings", {})[0] == 400
    assert admin.open("/moderation/")[0] == 200
    token = csrf_token_from(admin.open("/admin/settings")[2])
    approve = {"csrf_token": token, "seen": "pending"}
    assert admin.open(f"/moderation/comments/{comment_id}/approve", approve)[0] == 303

    report = {"reason": "spam"}
    assert reader.open(f"/comments/{comment_id}/report", report, **same_origin)[0] == 303
