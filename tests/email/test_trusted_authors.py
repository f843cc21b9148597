"""Trusted authors: a confirmed address, a moderator-approved comment, and the same browser."""

import pytest
from sqlalchemy import select

from app.automoderation.policy_cache import forget_policy
from app.extensions import db
from app.models import BlockedSender
from app.models import BlockKind
from app.models import Comment
from app.models import CommentMode
from app.models import CommentStatus
from app.models import ModerationEvent
from app.page_versions import retire_public_copies
from tests.email.conftest import send_mail
from tests.email.test_reader_notices import ADA
from tests.email.test_reader_notices import comment_id_by
from tests.email.test_reader_notices import confirm_by_link
from tests.helpers import post_comment


def newest_status(app) -> CommentStatus:
    with app.app_context():
        return db.session.scalar(select(Comment.status).order_by(Comment.id.desc()))


@pytest.fixture
def regulars_browser(app, inbox, article, desk):
    """Ada's browser: it confirmed her address, and a moderator approved her comment."""
    app.config["TRUSTED_AUTHORS_AUTO_APPROVE"] = True
    browser = app.test_client()
    post_comment(browser, article, name="Ada Reader", email=ADA, notify="y", body="First.")
    send_mail(app)
    confirm_by_link(app, inbox.to(ADA)[0], browser)
    desk.act(comment_id_by(app, ADA), "approve")
    return browser


def test_a_trusted_author_is_published_at_once(app, article, regulars_browser):
    response = post_comment(regulars_browser, article, email=ADA, body="Second, at once.")

    assert response.status_code == 303
    assert newest_status(app) is CommentStatus.APPROVED
    with app.app_context():
        event = db.session.scalar(select(ModerationEvent).order_by(ModerationEvent.id.desc()))
        assert (event.action.value, event.moderator_id, event.to_status) == (
            "trusted_approve",
            None,
            CommentStatus.APPROVED,
        )


def test_a_stranger_with_a_regulars_name_and_email_waits(app, article, regulars_browser):
    stranger = app.test_client()
    post_comment(stranger, article, name="Ada Reader", email=ADA, body="Pretending to be Ada.")
    assert newest_status(app) is CommentStatus.PENDING


def test_trust_is_off_by_default(app, article, regulars_browser):
    app.config["TRUSTED_AUTHORS_AUTO_APPROVE"] = False
    post_comment(regulars_browser, article, email=ADA, body="Waits like anyone.")
    assert newest_status(app) is CommentStatus.PENDING


def test_rules_that_hold_still_hold(app, article, regulars_browser):
    app.config["HOLD_WORDS"] = ["casino"]
    with app.app_context():
        forget_policy()  # as a restart (for settings files) or the admin page would
    post_comment(regulars_browser, article, email=ADA, body="About the casino.")
    assert newest_status(app) is CommentStatus.PENDING


def test_an_address_blocked_by_another_worker_a_second_ago_is_not_published(
    app, article, regulars_browser
):
    post_comment(regulars_browser, article, email=ADA, body="Trusted, for now.")
    assert newest_status(app) is CommentStatus.APPROVED  # this worker now keeps its policy
    with app.app_context():
        # Another worker's admin blocks Ada: this worker's kept policy does not know yet.
        db.session.add(BlockedSender(kind=BlockKind.EMAIL, value=ADA))
        db.session.commit()
    post_comment(regulars_browser, article, email=ADA, body="Sent just after the block.")
    assert newest_status(app) is CommentStatus.SPAM


def test_an_article_that_holds_everything_still_holds(app, article, regulars_browser):
    with app.app_context():
        from app.models import Article

        held = db.session.scalar(select(Article))
        held.comment_mode = CommentMode.HELD
        retire_public_copies(held.id)
        db.session.commit()
    post_comment(regulars_browser, article, email=ADA, body="On a sensitive story.")
    assert newest_status(app) is CommentStatus.PENDING


def test_a_confirmed_address_without_an_approved_comment_waits(app, inbox, article):
    app.config["TRUSTED_AUTHORS_AUTO_APPROVE"] = True
    browser = app.test_client()
    post_comment(browser, article, email=ADA, notify="y", body="First.")
    send_mail(app)
    confirm_by_link(app, inbox.to(ADA)[0], browser)

    post_comment(browser, article, email=ADA, body="Second.")

    assert newest_status(app) is CommentStatus.PENDING


def test_the_proof_cookie_holds_no_address(app, regulars_browser):
    cookie = regulars_browser.get_cookie("verified_reader")
    assert cookie is not None and cookie.http_only
    assert "ada" not in cookie.value.lower()


def test_an_admin_can_turn_trust_on_from_the_settings_page(app, article, regulars_browser, admin):
    app.config["TRUSTED_AUTHORS_AUTO_APPROVE"] = False
    response = admin.client.post(
        "/admin/settings",
        data={
            "csrf_token": admin.token(),
            "comments_enabled": "y",
            "hold_link_count": "2",
            "comments_close_after_days": "0",
            "trusted_authors_auto_approve": "y",
        },
    )
    assert response.status_code == 303
    post_comment(regulars_browser, article, email=ADA, body="Published thanks to the admin.")
    assert newest_status(app) is CommentStatus.APPROVED


def test_a_trusted_author_at_the_spam_filters_hold_line_waits(app, article, regulars_browser, desk):
    app.config["SPAM_FILTER_MIN_DECISIONS"] = 1
    spam_text = "Subscribe to my channel http://cheap-views.example/ref for free views"
    post_comment(app.test_client(), article, email="seller@example.net", body=spam_text)
    desk.act(comment_id_by(app, "seller@example.net"), "spam")

    post_comment(regulars_browser, article, email=ADA, body=spam_text + " please")

    assert newest_status(app) is CommentStatus.PENDING
    with app.app_context():
        reasons = db.session.scalar(select(Comment.moderation_reasons).order_by(Comment.id.desc()))
    assert [reason for reason in reasons if reason.startswith("likely_spam:")]


def test_a_trusted_authors_automatic_approval_teaches_the_filter_nothing(
    app, article, regulars_browser
):
    post_comment(regulars_browser, article, email=ADA, body="Second, at once.")
    with app.app_context():
        assert db.session.scalar(select(Comment.taught_as).order_by(Comment.id.desc())) is None
