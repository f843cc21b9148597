"""`flask backup PATH`: a consistent copy of the live SQLite database, while comments arrive."""

import sqlite3
import threading

from sqlalchemy import func
from sqlalchemy import select

from app.extensions import db
from app.models import Comment
from tests.conftest import publish_test_article
from tests.helpers import post_comment


def comment_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Comment))


def test_backup_copies_the_database_while_comments_are_written(make_app, tmp_path):
    app = make_app(on_sqlite=True, RATELIMIT_ENABLED=False)
    slug = publish_test_article(app)
    client = app.test_client()
    for number in range(5):
        assert post_comment(client, slug, body=f"Before the backup {number}").status_code == 303
    writing = threading.Event()
    stop = threading.Event()
    sent = []

    def keep_writing():
        writer = app.test_client()
        while not stop.is_set():
            sent.append(post_comment(writer, slug, body=f"During the backup {len(sent)}"))
            writing.set()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        writing.wait(timeout=10)
        before = comment_count(app)
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
        after = comment_count(app)
    finally:
        stop.set()
        writer.join()

    assert result.exit_code == 0, result.output
    assert "integrity check ok" in result.output
    assert {response.status_code for response in sent} == {303}
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        copied = copy.execute("SELECT COUNT(*) FROM comments").fetchone()[0]
        counted = dict(copy.execute("SELECT status, total FROM comment_status_counts"))
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        copy.close()
    assert before <= copied <= after
    # One moment's snapshot: the counts the triggers kept agree with the rows copied.
    assert counted["pending"] == copied
    assert not (tmp_path / "copy.sqlite3.partial").exists()


def test_backup_replaces_an_older_backup(make_app, tmp_path):
    app = make_app(on_sqlite=True)
    target = tmp_path / "copy.sqlite3"
    target.write_text("last week's backup")
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"SQLite format 3")


def test_backup_points_postgresql_sites_to_pg_dump(make_app):
    app = make_app(migrated=False, DATABASE_URL="postgresql+psycopg://news@127.0.0.1:1/news")
    result = app.test_cli_runner().invoke(args=["backup", "copy.sqlite3"])
    assert result.exit_code != 0
    assert "pg_dump" in result.output
