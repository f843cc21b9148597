"""Readers ask for a copy or an erasure of their comments by email, with no account."""

import json

from sqlalchemy import select

from app.extensions import db
from app.mail import links
from app.models import Comment
from app.models import ReaderAddress
from tests.conftest import store_comment
from tests.email.conftest import path_of
from tests.email.conftest import send_mail
from tests.helpers import csrf_token_from

ADA = "ada.reader@example.org"


def ask(app, email: str, what: str):
    browser = app.test_client()
    browser.get("/privacy/requests")
    return browser.post("/privacy/requests", data={"email": email, "what": what})


def link_sent_to(app, inbox, email: str) -> str:
    send_mail(app)
    [received] = inbox.to(email)
    assert received.recipients == [email]
    [link] = received.links("/privacy/requests/")
    return path_of(link)


def press(browser, path: str, **form):
    # The confirmation page keeps Flask-WTF's token: the session's, from any form with one.
    token = csrf_token_from(browser.get("/auth/login").get_data(as_text=True))
    return browser.post(path, data={"csrf_token": token, **form})


def test_the_answer_is_the_same_whether_or_not_the_address_is_known(app, inbox, article):
    store_comment(app, article, email=ADA)
    known = ask(app, ADA, "export")
    unknown = ask(app, "nobody@example.org", "export")

    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    send_mail(app)
    assert [received.recipients for received in inbox.received] == [[ADA]]


def test_an_export_link_shows_a_page_then_downloads_the_comments(app, inbox, article):
    store_comment(app, article, email=ADA, body="My words to export.")
    store_comment(app, article, email="someone.else@example.org", body="Not hers.")
    ask(app, ADA, "export")
    path = link_sent_to(app, inbox, ADA)
    browser = app.test_client()

    page = browser.get(path)
    download = press(browser, path)

    assert "Download my comments" in page.get_data(as_text=True)
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == "attachment; filename=my-comments.json"
    document = json.loads(download.get_data(as_text=True))
    assert [comment["text"] for comment in document["comments"]] == ["My words to export."]
    assert "someone.else" not in download.get_data(as_text=True)


def test_an_erasure_link_anonymises_and_forgets_the_address(app, inbox, article):
    comment_id = store_comment(app, article, name="Ada Reader", email=ADA, body="Mine.")
    ask(app, ADA, "erase")
    path = link_sent_to(app, inbox, ADA)
    browser = app.test_client()

    opened = browser.get(path)
    with app.app_context():
        assert db.session.get(Comment, comment_id).author_email == ADA  # GET did nothing
    done = press(browser, path, how="anonymise")

    assert opened.status_code == done.status_code == 200
    assert "1 comment anonymised" in done.get_data(as_text=True)
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert (comment.author_name, comment.author_email, comment.ip_address) == (
            "Anonymous",
            None,
            None,
        )
        assert db.session.scalars(select(ReaderAddress)).all() == []
    again = browser.get(path)
    assert "Nothing is stored for this address" in again.get_data(as_text=True)


def test_an_erasure_can_delete_the_comments(app, inbox, article):
    store_comment(app, article, email=ADA)
    ask(app, ADA, "erase")
    path = link_sent_to(app, inbox, ADA)
    press(app.test_client(), path, how="delete")
    with app.app_context():
        assert db.session.scalars(select(Comment)).all() == []


def test_privacy_links_expire(app, inbox, article, monkeypatch):
    store_comment(app, article, email=ADA)
    ask(app, ADA, "erase")
    path = link_sent_to(app, inbox, ADA)
    now = links.clock()
    monkeypatch.setattr(links, "clock", lambda: now + 72 * 3600 + 1)

    response = press(app.test_client(), path, how="delete")

    assert response.status_code == 410
    with app.app_context():
        assert db.session.scalar(select(Comment.author_email)) == ADA


def test_requests_are_limited_per_address(app, inbox, article):
    store_comment(app, article, email=ADA)
    for _ in range(5):
        ask(app, ADA, "export")
    send_mail(app)
    assert len(inbox.to(ADA)) == 3
