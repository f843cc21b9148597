"""Migration 0004 on a database with data: nothing lost, the status counts still kept."""

import pytest
from flask import current_app
from sqlalchemy import text

from app.extensions import db
from app.migrations import set_up_migrations


@pytest.fixture
def at_0003(make_app):
    app = make_app(migrated=False)
    migrations = set_up_migrations(app)
    with app.app_context():
        migrations.upgrade(revision="0003")
        db.session.execute(
            text(
                "INSERT INTO moderators (id, username, password_hash, active, is_admin, "
                "session_version, recovery_code_hashes, created_at) "
                "VALUES (1, 'sam', 'x', :yes, :no, 1, '[]', '2026-01-01')"
            ),
            # Bound, so each database gets its own booleans (PostgreSQL refuses 1 and 0).
            {"yes": True, "no": False},
        )
        db.session.execute(
            text(
                "INSERT INTO articles (id, slug, title, summary, at_a_glance, body_markdown, "
                "body_html, byline, author_bio, published_at, updated_at, comment_mode, "
                "comments_version) VALUES (1, 'a', 'A', '', '[]', '', '', 'Desk', '', "
                "'2026-01-01', '2026-01-01', 'open', 1)"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO comments (article_id, author_name, author_email, body_raw, "
                "body_html, status, created_at, moderation_reasons, status_changed_by_id) "
                "VALUES (1, 'Ada', 'ada@example.org', 'Hi', 'Hi', 'approved', '2026-01-01', "
                "'[]', 1)"
            )
        )
        db.session.commit()
    return app


def counts(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(text("SELECT status, total FROM comment_status_counts"))
        return dict(rows.all())


def test_upgrade_keeps_data_and_the_count_triggers(at_0003):
    app = at_0003
    with app.app_context():
        set_up_migrations(current_app).upgrade()
        moderator = db.session.execute(
            text("SELECT username, email, alert_mode FROM moderators")
        ).one()
        changed_by = db.session.scalar(text("SELECT status_changed_by_id FROM comments"))
        db.session.execute(
            text(
                "INSERT INTO comments (article_id, author_name, body_raw, body_html, status, "
                "created_at, moderation_reasons) VALUES (1, 'B', 'b', 'b', 'pending', "
                "'2026-01-02', '[]')"
            )
        )
        db.session.execute(text("UPDATE comments SET status = 'spam' WHERE author_name = 'Ada'"))
        db.session.commit()

    assert tuple(moderator) == ("sam", None, "each")
    assert changed_by == 1
    assert counts(app) == {"pending": 1, "approved": 0, "spam": 1, "trash": 0}


def test_downgrade_keeps_who_changed_each_comment(at_0003):
    app = at_0003
    with app.app_context():
        set_up_migrations(current_app).upgrade()
        set_up_migrations(current_app).downgrade(revision="0003")
        assert db.session.scalar(text("SELECT status_changed_by_id FROM comments")) == 1
        db.session.execute(text("DELETE FROM comments"))
        db.session.commit()
    assert counts(app)["approved"] == 0
