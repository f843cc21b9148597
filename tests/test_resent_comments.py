"""A form sent twice (a double click, a retry after a lost answer) stores one comment."""

import threading

from sqlalchemy import func
from sqlalchemy import select

from app.comments.guard import form_submission_id
from app.comments.submission import ClientDetails
from app.comments.submission import CommentFields
from app.comments.submission import store_comment
from app.comments.submission import store_comment_once
from app.extensions import db
from app.models import AlertMode
from app.models import Article
from app.models import Comment
from app.models import Moderator
from app.models import OutgoingMessage
from app.notifications.moderators import change_alert_settings
from tests.conftest import add_test_moderator
from tests.conftest import publish_test_article
from tests.helpers import article_url
from tests.helpers import comment_form
from tests.helpers import hidden_fields
from tests.helpers import stamp_for


def stored(app) -> list[Comment]:
    with app.app_context():
        return db.session.scalars(select(Comment).order_by(Comment.id)).all()


def filled_form(client, slug: str, **overrides) -> dict[str, str]:
    page = client.get(article_url(slug)).get_data(as_text=True)
    return {**comment_form(**overrides), **hidden_fields(page, client)}


def test_a_form_sent_twice_stores_one_comment_and_answers_the_same(app, client, article):
    form = filled_form(client, article)
    first = client.post(f"/articles/{article}/comments", data=form)
    again = client.post(f"/articles/{article}/comments", data=form)
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    [comment] = stored(app)
    assert first.headers["Location"].endswith(f"#comment-{comment.id}")
    with app.app_context():
        assert comment.submission_id == form_submission_id(form["stamp"])


def test_a_resent_form_is_not_refused_by_the_flood_or_repeat_checks(make_app):
    app = make_app(COMMENTS_PER_MINUTE=1)
    slug = publish_test_article(app)
    client = app.test_client()
    form = filled_form(client, slug)
    assert client.post(f"/articles/{slug}/comments", data=form).status_code == 303
    # A lost answer: the browser retries without the cookie the first answer set.
    retry = app.test_client().post(f"/articles/{slug}/comments", data=form)
    assert retry.status_code in (303, 400)  # 400 only for the CSRF token of another session
    assert client.post(f"/articles/{slug}/comments", data=form).status_code == 303
    assert len(stored(app)) == 1


def test_a_new_form_with_the_same_words_is_still_a_repeat(app, client, article):
    assert client.post(f"/articles/{article}/comments", data=filled_form(client, article))
    response = client.post(f"/articles/{article}/comments", data=filled_form(client, article))
    assert response.status_code == 400
    assert "already said that" in response.get_data(as_text=True)
    assert len(stored(app)) == 1


def test_each_form_gets_its_own_submission_id(app, client, article):
    first, second = stamp_for(client), stamp_for(client)
    with app.app_context():
        assert None is not form_submission_id(first) != form_submission_id(second)


def test_a_forged_stamp_has_no_submission_id(app):
    with app.app_context():
        assert form_submission_id("made-up.AAAAAA.signature") is None
        assert form_submission_id("") is None


def test_the_losing_send_of_a_race_answers_with_the_winners_comment(app, article):
    """What happens when two sends pass the "sent before?" check at the same moment: the
    second INSERT breaks the unique constraint, and the comment the first stored is the answer.
    """
    fields = CommentFields(name="Ada", email="ada@example.org", website=None, body="Once.")
    client = ClientDetails(ip_address="192.0.2.1", user_agent=None)
    with app.app_context():
        story = db.session.scalar(select(Article).where(Article.slug == article))
        winner = store_comment(story, fields, client, submission_id="the-same-form")
        db.session.commit()
        answer = store_comment_once(story, fields, client, submission_id="the-same-form")
        db.session.commit()
        assert answer.id == winner.id
    assert len(stored(app)) == 1


def test_the_losing_send_queues_no_mail_of_its_own(make_app):
    """The loser rolls its whole transaction back: its alert and its notice request go too."""
    app = make_app(SITE_URL="https://news.example")
    article = publish_test_article(app)
    add_test_moderator(app)
    fields = CommentFields(
        name="Ada", email="ada@example.org", website=None, body="Once.", notify=True
    )
    client = ClientDetails(ip_address="192.0.2.1", user_agent=None)
    with app.app_context():
        change_alert_settings(
            db.session.scalar(select(Moderator)), "sam@newsroom.example", AlertMode.EACH
        )
        story = db.session.scalar(select(Article).where(Article.slug == article))
        store_comment(story, fields, client, submission_id="the-same-form")
        db.session.commit()
        queued_by_the_winner = db.session.scalar(select(func.count(OutgoingMessage.id)))
        store_comment_once(story, fields, client, submission_id="the-same-form")
        db.session.commit()
        assert db.session.scalar(select(func.count(OutgoingMessage.id))) == queued_by_the_winner
    assert queued_by_the_winner == 2  # the moderator's alert, the reader's confirmation
    assert len(stored(app)) == 1


def test_two_sends_of_one_form_at_the_same_moment_store_one_comment(make_app):
    app = make_app(RATELIMIT_ENABLED=False)
    slug = publish_test_article(app)
    client = app.test_client()
    form = filled_form(client, slug)
    start = threading.Barrier(4)
    locations = []

    def send():
        start.wait()
        response = client.post(f"/articles/{slug}/comments", data=form)
        locations.append((response.status_code, response.headers.get("Location")))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(locations)) == 1
    assert locations[0][0] == 303
    assert len(stored(app)) == 1
