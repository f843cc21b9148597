"""The migrations build exactly the models' schema, and carry a live site's data forward."""

import hashlib

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from app.extensions import db
from app.migrations import set_up_migrations

PREVIOUS_REVISION = "0002"
MIGRATED_AT = "2026-03-02 09:00:00"


def schema_differences(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def test_upgrading_an_empty_database_gives_the_models_schema(make_app):
    app = make_app(migrated=False)
    with app.app_context():
        set_up_migrations(app).upgrade()
    assert schema_differences(app) == []


def sql(statement: str, **values) -> None:
    db.session.execute(text(statement), values)


def fill_a_site_at_the_previous_revision() -> None:
    """What a site running the previous release holds: open and closed articles, comments."""
    for article_id, slug, comments_open in ((1, "open-story", True), (2, "closed-story", False)):
        sql(
            "INSERT INTO articles (id, slug, title, summary, at_a_glance, body_markdown, "
            "body_html, byline, author_bio, published_at, updated_at, comments_open) "
            "VALUES (:id, :slug, 'A story', '', '[]', 'Body', '<p>Body</p>', 'Desk', '', "
            ":at, :at, :open)",
            id=article_id,
            slug=slug,
            at=MIGRATED_AT,
            open=comments_open,
        )
    sql(
        "INSERT INTO moderators (id, username, password_hash, active, created_at, is_admin, "
        "session_version, recovery_code_hashes) "
        "VALUES (1, 'sam', 'not-a-real-hash', :yes, :at, :no, 1, '[]')",
        at=MIGRATED_AT,
        yes=True,
        no=False,
    )
    statuses = ["approved", "approved", "approved", "pending", "pending", "spam"]
    for comment_id, status in enumerate(statuses, start=1):
        sql(
            "INSERT INTO comments (id, article_id, author_name, author_email, body_raw, "
            "body_html, status, created_at, moderation_reasons) "
            "VALUES (:id, :article, 'Reader', 'reader@example.org', 'Words', '<p>Words</p>', "
            ":status, :at, '[]')",
            id=comment_id,
            article=1 if comment_id < 5 else 2,
            status=status,
            at=MIGRATED_AT,
        )
    sql(
        "INSERT INTO moderation_events (id, comment_id, moderator_id, from_status, to_status, "
        "created_at) VALUES (1, 1, 1, 'pending', 'approved', :at)",
        at=MIGRATED_AT,
    )
    db.session.commit()


def rows(statement: str) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(statement))]


def status_counts() -> dict[str, int]:
    return dict(rows("SELECT status, total FROM comment_status_counts"))


def test_upgrading_a_database_of_the_previous_release_keeps_its_data(make_app):
    app = make_app(migrated=False)
    migrations = set_up_migrations(app)
    with app.app_context():
        migrations.upgrade(revision=PREVIOUS_REVISION)
        fill_a_site_at_the_previous_revision()
        migrations.upgrade()

        assert rows("SELECT slug, comment_mode FROM articles ORDER BY id") == [
            ("open-story", "open"),
            ("closed-story", "closed"),
        ]
        assert rows("SELECT id, article_id, status FROM comments ORDER BY id") == [
            (1, 1, "approved"),
            (2, 1, "approved"),
            (3, 1, "approved"),
            (4, 1, "pending"),
            (5, 2, "pending"),
            (6, 2, "spam"),
        ]
        assert rows("SELECT action, to_status FROM moderation_events") == [("approve", "approved")]
        assert status_counts() == {"pending": 2, "approved": 3, "spam": 1, "trash": 0}
        # 0005 gave every existing comment the fingerprint the duplicate check looks up.
        for body, fingerprint in rows("SELECT body_raw, body_fingerprint FROM comments"):
            assert fingerprint == hashlib.sha256(body.encode()).hexdigest()

        # The triggers keep counting from there.
        sql("UPDATE comments SET status = 'approved' WHERE id = 4")
        sql("DELETE FROM comments WHERE id = 6")
        db.session.commit()
        assert status_counts() == {"pending": 1, "approved": 4, "spam": 0, "trash": 0}
