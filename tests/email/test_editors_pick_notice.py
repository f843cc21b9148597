"""A commenter who asked for notices hears that their comment was chosen as an Editors' pick."""

from app.models import CommentStatus
from tests.conftest import store_comment
from tests.email.conftest import send_mail
from tests.email.test_reader_notices import ADA
from tests.email.test_reader_notices import comment_id_by
from tests.email.test_reader_notices import subscribed_reader  # noqa: F401  (a fixture)
from tests.helpers import post_comment

SUBJECT = "Your comment was chosen as an Editors’ pick"


def test_an_opted_in_author_hears_once_that_their_comment_was_picked(
    app,
    inbox,
    desk,
    subscribed_reader,  # noqa: F811
):
    desk.act(subscribed_reader, "approve")
    send_mail(app)
    inbox.received.clear()

    desk.act(subscribed_reader, "pick")
    desk.act(subscribed_reader, "unpick")
    desk.act(subscribed_reader, "pick")
    send_mail(app)

    [notice] = inbox.to(ADA)
    assert notice.message["Subject"] == SUBJECT
    assert f"/comments/{subscribed_reader}" in notice.body
    assert notice.message["List-Unsubscribe"]


def test_an_author_who_did_not_ask_hears_nothing(app, inbox, article, desk):
    comment_id = store_comment(
        app, article, status=CommentStatus.APPROVED, email="quiet.reader@example.org"
    )
    desk.act(comment_id, "pick")
    send_mail(app)
    assert inbox.to("quiet.reader@example.org") == []


def test_an_unconfirmed_address_hears_nothing_of_the_pick(app, inbox, article, desk):
    post_comment(app.test_client(), article, email=ADA, body="Never confirmed.", notify="y")
    comment_id = comment_id_by(app, ADA)
    desk.act(comment_id, "approve")
    send_mail(app)
    inbox.received.clear()
    desk.act(comment_id, "pick")
    send_mail(app)
    assert inbox.to(ADA) == []
