"""Moderators' addresses and alert modes: from the command line and the admin page."""

from sqlalchemy import select

from app.extensions import db
from app.models import AlertMode
from app.models import Moderator
from tests.conftest import MODERATOR_PASSWORD


def moderator_named(app, username: str) -> Moderator:
    with app.app_context():
        return db.session.scalar(select(Moderator).where(Moderator.username == username))


def test_create_moderator_takes_an_email(app, runner):
    result = runner.invoke(
        args=["create-moderator", "kim", "--email", "Kim@Newsroom.example"],
        env={"MODERATOR_PASSWORD": MODERATOR_PASSWORD},
    )
    assert result.exit_code == 0, result.output
    kim = moderator_named(app, "kim")
    assert (kim.email, kim.alert_mode) == ("Kim@newsroom.example", AlertMode.EACH)


def test_create_moderator_refuses_a_bad_email_and_creates_nobody(app, runner):
    result = runner.invoke(
        args=["create-moderator", "kim", "--email", "not an address"],
        env={"MODERATOR_PASSWORD": MODERATOR_PASSWORD},
    )
    assert result.exit_code != 0
    assert "doesn’t look right" in result.output
    assert moderator_named(app, "kim") is None


def test_admins_set_address_and_alert_mode_on_the_moderators_page(app, admin):
    sam = moderator_named(app, "sam")
    page = admin.client.get("/admin/moderators").get_data(as_text=True)
    assert "Email alerts" in page

    response = admin.client.post(
        f"/admin/moderators/{sam.id}/alerts",
        data={"csrf_token": admin.token(), "email": "sam@newsroom.example", "alert_mode": "digest"},
    )

    assert response.status_code == 303
    sam = moderator_named(app, "sam")
    assert (sam.email, sam.alert_mode) == ("sam@newsroom.example", AlertMode.DIGEST)
    assert sam.digest_sent_at is not None
    assert 'value="sam@newsroom.example"' in admin.client.get("/admin/moderators").get_data(
        as_text=True
    )


def test_moderators_cannot_change_alert_settings(app, desk):
    sam = moderator_named(app, "sam")
    response = desk.client.post(
        f"/admin/moderators/{sam.id}/alerts",
        data={"csrf_token": desk.token(), "email": "x@example.org", "alert_mode": "each"},
    )
    assert response.status_code == 403
