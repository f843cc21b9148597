"""After-commit work (mail, log lines) waits for the real commit, not a savepoint's release."""

import logging

from app.extensions import db
from app.logs import log_moderation_action
from app.mail import outbox


def test_a_released_savepoint_does_not_count_as_the_commit(app, caplog):
    caplog.set_level(logging.INFO)
    with app.app_context():
        with db.session.begin_nested():
            log_moderation_action(7, "pending", "approved", 1, "approve")
            db.session.info[outbox.QUEUED_KEY] = True
        assert "comment 7" not in caplog.text  # not yet committed
        assert db.session.info.get(outbox.QUEUED_KEY) is True
        db.session.commit()
    assert "comment 7: pending -> approved (approve) by moderator 1" in caplog.text


def test_a_savepoint_rolled_back_keeps_the_outer_transactions_work(app, caplog):
    caplog.set_level(logging.INFO)
    with app.app_context():
        log_moderation_action(8, "pending", "spam", 1, "spam")
        savepoint = db.session.begin_nested()
        savepoint.rollback()
        db.session.commit()
    assert "comment 8: pending -> spam (spam) by moderator 1" in caplog.text
