"""Input a database cannot store (PostgreSQL refuses NUL in text) is refused before it gets
there: a 400 that says why, never a 500. On SQLite too, so both behave the same."""

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.exc import DataError

from app.extensions import db
from app.models import Comment
from app.models import LoginFailure
from app.models import Moderator
from tests.conftest import MODERATOR_PASSWORD
from tests.helpers import csrf_token_from
from tests.helpers import post_comment

NUL = "\x00"


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    "path",
    [
        "/articles/council%00approves",
        "/articles/%00",
        "/moderation/?page=1%00",
        "/auth/login?next=/moderation/%00",
        "/?q=%00",
    ],
)
def test_a_nul_in_the_address_is_refused_with_a_message(client, article, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "can’t be read" in response.get_data(as_text=True)


def test_a_nul_in_the_login_username_is_refused_before_it_is_stored(app, client, moderator):
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login",
        data={"username": f"sam{NUL}", "password": MODERATOR_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)
    assert count(app, LoginFailure) == 0


def test_a_nul_in_the_honeypot_is_refused(app, client, article):
    response = post_comment(client, article, homepage=f"https://spam.example{NUL}")
    assert response.status_code == 400
    assert count(app, Comment) == 0


def test_a_nul_in_the_browser_name_is_not_stored(app, client, article):
    response = post_comment(client, article, headers={"User-Agent": f"Bot{NUL}/1.0\x1b"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Comment.user_agent)) == "Bot/1.0"


def test_a_nul_in_the_personal_data_address_is_refused(app, desk):
    with app.app_context():
        db.session.scalar(select(Moderator)).is_admin = True
        db.session.commit()
    page = desk.client.get("/admin/personal-data").get_data(as_text=True)
    response = desk.client.post(
        "/admin/personal-data/export",
        data={"email": f"ada@example.org{NUL}", "csrf_token": csrf_token_from(page)},
    )
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("username", "message"),
    [(f"sam{NUL}", "control characters"), ("s" * 81, "80 characters")],
)
def test_create_moderator_refuses_a_username_no_database_would_take(runner, username, message):
    result = runner.invoke(
        args=["create-moderator", username], env={"MODERATOR_PASSWORD": MODERATOR_PASSWORD}
    )
    assert result.exit_code != 0
    assert message in result.output


def test_input_the_database_refuses_anyway_is_a_400_not_a_500(app, article):
    """The safety net, for a field some future form forgets to check."""

    def unchecked_search():
        with_nul = select(Comment.id).where(Comment.author_name == f"Ada{NUL}")
        if db.engine.dialect.name == "sqlite":  # SQLite would store it: refuse as PostgreSQL does
            raise DataError("SELECT ...", {}, ValueError("NUL"))
        return str(db.session.scalars(with_nul).all())

    app.add_url_rule("/unchecked-search", view_func=unchecked_search)
    response = app.test_client().get("/unchecked-search")
    assert response.status_code == 400
    assert "Something in what was sent" in response.get_data(as_text=True)
