"""Akismet's second opinion, against a local server that speaks its protocol."""

import socket

import pytest
from sqlalchemy import select

from app.akismet_service.worker import akismet_worker
from app.config import SettingError
from app.extensions import db
from app.models import AkismetVerdict
from app.models import AuditAction
from app.models import Comment
from app.models import CommentStatus
from app.models import ModerationEvent
from app.models import SpamLabel
from app.personal_data import anonymise_commenter
from app.second_opinion import believed_spam
from app.second_opinion import correction_for
from tests.akismet_server import VALID_KEY
from tests.akismet_server import AkismetServer
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import comment_form
from tests.helpers import hidden_fields
from tests.helpers import post_comment

SITE_URL = "https://news.example.com"
READER_IP = "198.51.100.7"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
COMMENT_PAGE = f"{SITE_URL}/articles/council-approves-riverside-park"


def akismet_settings(server_url: str, **overrides) -> dict:
    return {
        "AKISMET_API_KEY": VALID_KEY,
        "AKISMET_API_URL": server_url,
        "AKISMET_TIMEOUT_SECONDS": 1,
        # Each request waits for its Akismet work, so a test reads the outcome at once.
        "AKISMET_IN_BACKGROUND": False,
        "SITE_URL": SITE_URL,
        **overrides,
    }


@pytest.fixture
def akismet_url():
    with AkismetServer() as server:
        yield server


@pytest.fixture
def app(make_app, akismet_url):
    """Every fixture built on `app` (article, desk, ...) gets the site that asks Akismet."""
    return make_app(**akismet_settings(akismet_url.url))


@pytest.fixture
def server(akismet_url):
    return akismet_url.behaviour


def send(app, article, **fields):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = READER_IP
    headers = {"User-Agent": BROWSER, "Referer": COMMENT_PAGE}
    return post_comment(client, article, headers=headers, **fields)


def newest_comment(app) -> Comment:
    with app.app_context():
        found = db.session.scalar(select(Comment).order_by(Comment.id.desc()).limit(1))
        db.session.expunge(found)
        return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_comment_akismet_calls_spam_stays_pending_with_the_reason_on_its_card(
    app, server, article, desk
):
    server.verdict = "spam"
    response = send(app, article, body="Check out my channel for free followers")

    assert response.status_code == 303
    comment = newest_comment(app)
    assert comment.status is CommentStatus.PENDING
    assert comment.akismet_verdict is AkismetVerdict.SPAM
    assert comment.moderation_reasons == ["akismet:spam"]
    assert "akismet: spam" in desk.client.get("/moderation/").get_data(as_text=True)


def test_a_comment_akismet_calls_ham_waits_as_before(app, server, article, desk):
    send(app, article)

    comment = newest_comment(app)
    assert comment.status is CommentStatus.PENDING
    assert comment.akismet_verdict is AkismetVerdict.HAM
    assert comment.moderation_reasons == []
    assert "akismet" not in desk.client.get("/moderation/").get_data(as_text=True)


def test_the_check_sends_what_akismet_documents(app, server, article):
    send(app, article, name="Ada", email="ada@example.org", website="https://ada.example.org")

    [check] = server.received
    assert check.path == "/1.1/comment-check"
    sent = check.form
    assert sent["api_key"] == VALID_KEY
    assert sent["blog"] == SITE_URL
    assert sent["user_ip"] == READER_IP
    assert sent["user_agent"] == BROWSER
    assert sent["referrer"] == COMMENT_PAGE
    assert sent["permalink"] == COMMENT_PAGE
    assert sent["comment_type"] == "comment"
    assert sent["comment_author"] == "Ada"
    assert sent["comment_author_email"] == "ada@example.org"
    assert sent["comment_author_url"] == "https://ada.example.org"
    assert sent["comment_content"] == "A thoughtful comment about the summit."
    assert sent["blog_lang"] == "en"
    assert sent["comment_date_gmt"].startswith(str(newest_comment(app).created_at.year))


def test_the_referrer_is_sent_but_never_stored(app, server, article):
    send(app, article)
    with app.app_context():
        stored = db.session.execute(select(Comment.__table__)).one()._asdict()
    assert COMMENT_PAGE not in [str(value) for value in stored.values()]


def test_a_form_sent_twice_is_checked_once(app, server, article):
    client = app.test_client()
    data = {**hidden_fields(client.get(article_url(article)).get_data(as_text=True), client)}
    data.update(comment_form())
    for _ in range(2):
        assert client.post(f"/articles/{article}/comments", data=data).status_code == 303

    assert server.paths() == ["/1.1/comment-check"]


def test_blatant_spam_goes_to_the_spam_queue_and_not_spam_brings_it_back(
    app, server, article, desk
):
    server.verdict = "discard"
    send(app, article)

    comment = newest_comment(app)
    assert comment.status is CommentStatus.SPAM
    assert comment.moderation_reasons == ["akismet:discard"]
    assert "akismet: blatant spam" in desk.client.get("/moderation/spam").get_data(as_text=True)
    with app.app_context():
        event = db.session.scalar(select(ModerationEvent).order_by(ModerationEvent.id.desc()))
        assert (event.action, event.moderator_id) == (AuditAction.AKISMET_SPAM, None)

    desk.act(comment.id, "not_spam")
    assert newest_comment(app).status is CommentStatus.PENDING


def test_a_comment_the_rules_sent_to_spam_is_not_sent_to_akismet(make_app, server, akismet_url):
    app = make_app(**akismet_settings(akismet_url.url, SPAM_WORDS=["casino"]))
    article = publish_test_article(app)
    send(app, article, body="Best casino bonus")

    assert newest_comment(app).status is CommentStatus.SPAM
    assert server.received == []


def test_approving_a_comment_akismet_called_spam_reports_ham(app, server, article, desk):
    server.verdict = "spam"
    send(app, article)
    comment_id = newest_comment(app).id

    desk.act(comment_id, "approve")

    assert server.paths() == ["/1.1/comment-check", "/1.1/submit-ham"]
    report = server.received[-1].form
    assert report["user_ip"] == READER_IP
    assert report["comment_content"] == server.received[0].form["comment_content"]
    assert report["user_agent"] == BROWSER
    assert newest_comment(app).akismet_told is SpamLabel.GOOD


def test_marking_spam_a_comment_akismet_let_through_reports_spam(app, server, article, desk):
    send(app, article)

    desk.act(newest_comment(app).id, "spam")

    assert server.paths() == ["/1.1/comment-check", "/1.1/submit-spam"]
    assert newest_comment(app).akismet_told is SpamLabel.SPAM


def test_decisions_that_agree_with_akismet_report_nothing(app, server, article, desk):
    send(app, article)
    desk.act(newest_comment(app).id, "approve")
    server.verdict = "spam"
    send(app, article, body="Another comment", email="other@example.org")
    desk.act(newest_comment(app).id, "spam")

    assert server.paths() == ["/1.1/comment-check", "/1.1/comment-check"]


def test_a_reversed_decision_is_reported_once_each_way(app, server, article, desk):
    send(app, article)
    comment_id = newest_comment(app).id
    desk.act(comment_id, "spam")
    desk.act(comment_id, "not_spam")  # back to pending: no verdict yet
    desk.act(comment_id, "approve")
    desk.act(comment_id, "unapprove")
    desk.act(comment_id, "approve")  # Akismet already heard it is good

    assert server.paths() == ["/1.1/comment-check", "/1.1/submit-spam", "/1.1/submit-ham"]


def test_a_comment_akismet_never_checked_is_not_reported(app, server, article, desk):
    comment_id = store_comment(app, article)
    desk.act(comment_id, "spam")
    assert server.received == []


def test_an_erased_commenter_is_not_reported(app, server, article, desk):
    send(app, article)
    with app.app_context():
        anonymise_commenter("ada.reader@example.org")
        db.session.commit()
    comment = newest_comment(app)
    assert (comment.akismet_verdict, comment.akismet_told) == (None, None)

    desk.act(comment.id, "spam")
    assert server.paths() == ["/1.1/comment-check"]


@pytest.mark.parametrize(
    ("failure", "logged"),
    [
        ({"status": 500}, "error status: 500"),
        ({"delay": 2}, "timed out"),
        ({"verdict_key": "a-key-akismet-does-not-know"}, "the key or SITE_URL was refused"),
    ],
)
def test_a_failing_akismet_loses_and_changes_nothing(
    make_app, akismet_url, failure, logged, caplog
):
    settings = akismet_settings(akismet_url.url)
    if "verdict_key" in failure:
        settings["AKISMET_API_KEY"] = failure.pop("verdict_key")
    for name, value in failure.items():
        setattr(akismet_url.behaviour, name, value)
    app = make_app(**settings)
    article = publish_test_article(app)

    response = send(app, article)

    assert response.status_code == 303
    comment = newest_comment(app)
    assert comment.status is CommentStatus.PENDING
    assert (comment.akismet_verdict, comment.moderation_reasons) == (None, [])
    [line] = [record.getMessage() for record in caplog.records if "Akismet" in record.getMessage()]
    assert f"comment-check of comment {comment.id} failed" in line
    assert logged in line
    assert settings["AKISMET_API_KEY"] not in caplog.text
    assert "ada.reader@example.org" not in caplog.text


def test_an_unreachable_akismet_loses_nothing(make_app, caplog):
    app = make_app(**akismet_settings(f"http://127.0.0.1:{free_port()}"))
    article = publish_test_article(app)

    assert send(app, article).status_code == 303
    assert newest_comment(app).status is CommentStatus.PENDING
    assert "RequestError" in caplog.text


def test_a_report_that_fails_leaves_the_decision_standing(app, server, article, desk, caplog):
    server.verdict = "spam"
    send(app, article)
    server.status = 500

    desk.act(newest_comment(app).id, "approve")

    comment = newest_comment(app)
    assert comment.status is CommentStatus.APPROVED
    assert comment.akismet_told is None
    assert "submit-ham of comment" in caplog.text


def test_the_reader_does_not_wait_for_akismet(make_app, akismet_url):
    app = make_app(**akismet_settings(akismet_url.url, AKISMET_IN_BACKGROUND=True))
    article = publish_test_article(app)
    server = akismet_url.behaviour
    server.verdict = "spam"
    server.gate.clear()  # Akismet answers nothing until the reader has their page

    try:
        response = send(app, article)
        assert response.status_code == 303
        assert newest_comment(app).akismet_verdict is None
    finally:
        server.gate.set()
    akismet_worker(app).wait_until_idle()

    assert newest_comment(app).akismet_verdict is AkismetVerdict.SPAM


def test_verify_akismet_key_says_whether_akismet_accepts_the_key(make_app, akismet_url):
    accepted = make_app(**akismet_settings(akismet_url.url))
    refused = make_app(**akismet_settings(akismet_url.url, AKISMET_API_KEY="wrong"))

    result = accepted.test_cli_runner().invoke(args=["verify-akismet-key"])
    assert result.exit_code == 0, result.output
    assert f"Akismet accepts the key for {SITE_URL}" in result.output
    result = refused.test_cli_runner().invoke(args=["verify-akismet-key"])
    assert result.exit_code == 1
    assert "Akismet refuses the key" in result.output
    assert [request.path for request in akismet_url.behaviour.received] == ["/1.1/verify-key"] * 2


def test_verify_akismet_key_says_when_akismet_cannot_be_reached(make_app):
    app = make_app(**akismet_settings(f"http://127.0.0.1:{free_port()}"))
    result = app.test_cli_runner().invoke(args=["verify-akismet-key"])
    assert result.exit_code == 1
    assert "Akismet gave no answer: RequestError" in result.output


def test_without_a_key_nothing_is_sent(make_app, akismet_url):
    app = make_app(AKISMET_API_URL=akismet_url.url, AKISMET_IN_BACKGROUND=False)
    article = publish_test_article(app)

    send(app, article)

    assert akismet_url.behaviour.received == []
    assert newest_comment(app).akismet_verdict is None
    assert "akismet_worker" not in app.extensions


def test_a_key_without_the_site_url_stops_the_start(make_app):
    with pytest.raises(SettingError, match="SITE_URL"):
        make_app(AKISMET_API_KEY=VALID_KEY)


def test_the_key_is_read_from_the_environment_without_the_prefix(make_app, monkeypatch):
    monkeypatch.setenv("AKISMET_API_KEY", VALID_KEY)
    assert make_app(SITE_URL=SITE_URL).config["AKISMET_API_KEY"] == VALID_KEY


@pytest.mark.parametrize(
    ("verdict", "told", "target", "report"),
    [
        (AkismetVerdict.HAM, None, CommentStatus.SPAM, True),
        (AkismetVerdict.HAM, None, CommentStatus.APPROVED, None),
        (AkismetVerdict.SPAM, None, CommentStatus.APPROVED, False),
        (AkismetVerdict.DISCARD, None, CommentStatus.APPROVED, False),
        (AkismetVerdict.SPAM, None, CommentStatus.SPAM, None),
        (AkismetVerdict.SPAM, None, CommentStatus.TRASH, None),
        (AkismetVerdict.SPAM, None, CommentStatus.PENDING, None),
        (AkismetVerdict.SPAM, SpamLabel.GOOD, CommentStatus.APPROVED, None),
        (AkismetVerdict.SPAM, SpamLabel.GOOD, CommentStatus.SPAM, True),
        (AkismetVerdict.HAM, SpamLabel.SPAM, CommentStatus.APPROVED, False),
    ],
)
def test_only_decisions_that_contradict_akismet_are_reported(verdict, told, target, report):
    assert correction_for(believed_spam(verdict, told), target) == report
