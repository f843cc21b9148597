from pathlib import Path

import pytest
from sqlalchemy import select

from app import create_app
from app.articles.importer import parse_article
from app.articles.importer import publish_article
from app.auth.accounts import create_moderator
from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentStatus
from app.models import Moderator
from app.sanitize import clean_comment
from tests.databases import SqliteDatabases
from tests.databases import databases_for_this_run
from tests.helpers import csrf_token_from

MODERATOR_PASSWORD = "correct horse battery staple"
ARTICLE_SOURCE = """---
title: Council Approves New Riverside Park
slug: council-approves-riverside-park
summary: The city council voted 9-2 to turn the old depot into a park.
at_a_glance:
  - Council vote was 9-2
  - Work starts in spring
byline: City Desk
author_bio: The City Desk covers city hall.
published: 2026-03-02T09:00:00Z
comments: open
---
The council approved the park on Monday.

## What happens next

- Demolition of the depot
- Planting in the autumn
"""


def settings_for(instance_path: Path, **overrides) -> dict:
    settings = {
        "TESTING": True,
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": "a-secret-key-used-only-by-the-tests",
        # Tests post at machine speed; the tests of this defence turn it back on.
        "COMMENT_MIN_SECONDS": 0,
        # No Redis unless a test asks for one (a REDIS_URL in the shell must not leak in).
        "REDIS_URL": None,
    }
    settings.update(overrides)
    return settings


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """Migrated once per session; each test gets a copy (SQLite, or PostgreSQL if asked)."""
    made = databases_for_this_run(tmp_path_factory.mktemp("migrated"), settings_for)
    yield made
    made.drop_all()


@pytest.fixture(scope="session")
def sqlite_databases(databases, tmp_path_factory):
    """For the tests of what only SQLite does (its locks, its backup API), on every run."""
    if isinstance(databases, SqliteDatabases):
        return databases
    return SqliteDatabases(tmp_path_factory.mktemp("migrated-sqlite"), settings_for)


@pytest.fixture
def make_app(tmp_path, databases, sqlite_databases):
    """Build an app with extra settings, on its own copy of the migrated database."""
    made = []

    def make(migrated: bool = True, on_sqlite: bool = False, **overrides):
        folder = tmp_path / f"instance-{len(made)}"
        folder.mkdir()
        source = sqlite_databases if on_sqlite else databases
        url = source.database_url(folder, migrated)
        # Even None (the SQLite file in the folder): a DATABASE_URL in the shell must not leak in.
        overrides.setdefault("DATABASE_URL", url)
        new_app = create_app(settings_for(folder, **overrides))
        made.append((new_app, source, url))
        return new_app

    yield make
    for made_app, source, url in made:
        with made_app.app_context():
            db.engine.dispose()
        source.drop_url(url)


@pytest.fixture
def empty_database_url(tmp_path, databases):
    """For a server in another process, which runs init-db itself: None (the SQLite file in
    its instance folder), or the URL of a new, empty PostgreSQL database."""
    url = databases.database_url(tmp_path, migrated=False)
    yield url
    databases.drop_url(url)


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def publish_test_article(app, source: str = ARTICLE_SOURCE) -> str:
    with app.app_context():
        published, _ = publish_article(parse_article(source))
        db.session.commit()
        return published.slug


def add_test_moderator(app, username: str = "sam", password: str = MODERATOR_PASSWORD) -> str:
    with app.app_context():
        create_moderator(username, password)
        db.session.commit()
    return username


def store_comment(app, slug: str, status=CommentStatus.PENDING, **fields) -> int:
    """Put a comment straight into the database, for tests about what happens next."""
    body = fields.pop("body", "A stored comment.")
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        comment = Comment(
            article=article,
            author_name=fields.pop("name", "Stored Reader"),
            author_email=fields.pop("email", "stored.reader@example.org"),
            author_website=fields.pop("website", None),
            body_raw=body,
            body_html=clean_comment(body),
            status=status,
            ip_address=fields.pop("ip_address", "192.0.2.10"),
            **fields,
        )
        db.session.add(comment)
        db.session.commit()
        return comment.id


@pytest.fixture
def article(app):
    return publish_test_article(app)


@pytest.fixture
def demo_article(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    return "paris-summit-ukraine-post-war-security"


@pytest.fixture
def moderator(app):
    return add_test_moderator(app)


class ModeratorSession:
    """A browser session of a moderator: logs in through the real form."""

    def __init__(self, client):
        self.client = client

    def log_in(self, username: str = "sam", password: str = MODERATOR_PASSWORD, next_path=None):
        url = "/auth/login" + (f"?next={next_path}" if next_path else "")
        token = csrf_token_from(self.client.get(url).get_data(as_text=True))
        return self.client.post(
            url, data={"username": username, "password": password, "csrf_token": token}
        )

    def token(self) -> str:
        """The session's CSRF token (one per session, so fetched once)."""
        if not getattr(self, "_token", None):
            self._token = csrf_token_from(self.client.get("/moderation/").get_data(as_text=True))
        return self._token

    def act(self, comment_id: int, action: str, seen: str | None = None, **form):
        """Press a desk button, having seen the comment in its current status (or `seen`)."""
        if seen is None:
            with self.client.application.app_context():
                comment = db.session.get(Comment, comment_id)
                seen = comment.status.value if comment else "pending"
        data = {"csrf_token": self.token(), "seen": seen, **form}
        return self.client.post(f"/moderation/comments/{comment_id}/{action}", data=data)


@pytest.fixture
def desk(app, moderator):
    session = ModeratorSession(app.test_client())
    response = session.log_in()
    assert response.status_code == 303
    return session


@pytest.fixture
def admin(app, moderator):
    with app.app_context():
        db.session.scalar(select(Moderator)).is_admin = True
        db.session.commit()
    session = ModeratorSession(app.test_client())
    session.log_in()
    return session
