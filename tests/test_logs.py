"""One line per request and per moderation action on stderr, never with an email address."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.logs import log_moderation_action
from app.logs import loggable_path
from app.models import Article
from app.models import Comment
from tests.conftest import store_comment
from tests.helpers import post_comment

EMAIL = "ada.private@example.org"


def test_each_request_is_one_line_with_the_path_but_not_the_query(client, article, capsys):
    client.get(f"/articles/{article}?utm_campaign=secret&email={EMAIL}")
    lines = capsys.readouterr().err.splitlines()
    [line] = [line for line in lines if "app.requests" in line]
    assert f"GET /articles/{article} 200 " in line
    assert "secret" not in line
    assert EMAIL not in line


def test_a_comment_post_logs_no_email(client, article, capsys):
    assert post_comment(client, article, email=EMAIL).status_code == 303
    log = capsys.readouterr().err
    assert f"POST /articles/{article}/comments 303" in log
    assert EMAIL not in log


def test_an_address_in_the_path_is_blanked(client, capsys):
    assert client.get(f"/contact/{EMAIL}").status_code == 404
    log = capsys.readouterr().err
    assert "GET /contact/[redacted] 404" in log
    assert EMAIL not in log


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/a/ada@example.org/b", "/a/[redacted]/b"),
        ("/ada@example.org", "/[redacted]"),
        ("/two/a@b.c and x@y.z/", "/two/[redacted] and [redacted]/"),
        ("/trailing@", "/[redacted]"),
        ("/@", "/[redacted]"),
        ("/no-address-at-all", "/no-address-at-all"),
        (f"/long/{'x' * 4000}", f"/long/{'x' * 4000}"),
        (f"/long/{'x' * 4000}@example.org", "/long/[redacted]"),
    ],
)
def test_every_address_like_part_of_a_path_is_blanked(path, logged):
    assert loggable_path(path) == logged


def test_a_moderation_action_is_one_line_with_ids_only(app, desk, article, capsys):
    comment_id = store_comment(app, article, email=EMAIL)
    capsys.readouterr()
    assert desk.act(comment_id, "approve").status_code == 303
    log = capsys.readouterr().err
    line = f"comment {comment_id}: pending -> approved (approve) by moderator 1"
    assert f"app.moderation: {line}" in log
    assert EMAIL not in log
    assert "sam" not in log


def test_a_moderation_action_rolled_back_is_not_logged(app, capsys):
    with app.app_context():
        db.session.scalar(select(Comment.id))
        log_moderation_action(7, "pending", "approved", 1)
        db.session.rollback()
        db.session.commit()
    assert "comment 7" not in capsys.readouterr().err


@pytest.mark.parametrize("action", [None, "approve"])
def test_a_moderation_action_is_logged_after_commit(app, capsys, action):
    with app.app_context():
        log_moderation_action(7, "pending", "approved", 1, action=action)
        assert "comment 7" not in capsys.readouterr().err
        db.session.commit()
    assert "comment 7: pending -> approved" in capsys.readouterr().err


def test_a_database_error_never_quotes_the_values_it_was_given(app, article):
    with app.app_context():
        story = db.session.scalar(select(Article).where(Article.slug == article))
        for _ in range(2):
            db.session.add(
                Comment(
                    article=story,
                    author_name="Ada",
                    author_email=EMAIL,
                    body_raw="Twice.",
                    body_html="<p>Twice.</p>",
                    submission_id="the-same-form",
                )
            )
        with pytest.raises(IntegrityError) as error:
            db.session.commit()
    assert "INSERT INTO comments" in str(error.value)
    assert EMAIL not in str(error.value)
