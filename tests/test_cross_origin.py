"""The readers' forms refuse what another site's page sends; forms behind a login keep tokens."""

import pytest
from sqlalchemy import func
from sqlalchemy import select

from app.config import trusted_origins
from app.cross_origin import is_cross_origin
from app.extensions import db
from app.models import Comment
from app.models import CommentReport
from app.models import CommentStatus
from app.models import OutgoingMessage
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import comment_form
from tests.helpers import stamp_for

OWN = {"http://localhost"}
CROSS_SITE = {"Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"}
SAME_SITE = {"Origin": "https://comments.localhost", "Sec-Fetch-Site": "same-site"}
SAME_ORIGIN = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def app(make_app):
    # The privacy form queues mail: a background sender thread would outlive the test and
    # leave its database connection open (PostgreSQL warns of it at the next collection).
    return make_app(MAIL_SEND_IN_BACKGROUND=False)


@pytest.mark.parametrize(
    ("fetch_site", "origin", "refused"),
    [
        ("same-origin", "http://localhost", False),
        ("none", None, False),
        ("cross-site", "https://elsewhere.example", True),
        ("same-site", "https://sub.localhost", True),
        ("Cross-Site", None, True),
        ("cross-site", "https://partner.example", False),  # a trusted origin
        (None, None, False),  # not a browser: no victim's session to ride
        (None, "http://localhost", False),
        (None, "http://localhost:80", False),
        (None, "https://elsewhere.example", True),
        (None, "null", True),  # a sandboxed frame or a data: page
        (None, "http://localhost.elsewhere.example", True),
        (None, "https://localhost", True),  # another scheme is another origin
    ],
)
def test_which_posts_are_refused(fetch_site, origin, refused):
    trusted = trusted_origins(["https://partner.example"])
    assert is_cross_origin(fetch_site, origin, OWN, trusted) is refused


def test_trusted_origins_must_be_origins():
    assert trusted_origins("https://a.example  https://b.example:8443/") == {
        "https://a.example",
        "https://b.example:8443",
    }
    with pytest.raises(RuntimeError, match="scheme and host only"):
        trusted_origins(["https://a.example/comments"])
    with pytest.raises(RuntimeError, match="scheme and host only"):
        trusted_origins(["a.example"])


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def send_comment(app, slug, headers):
    client = app.test_client()
    client.get(article_url(slug))
    data = {**comment_form(body="Sent from wherever."), "stamp": stamp_for(client)}
    return client.post(f"/articles/{slug}/comments", data=data, headers=headers)


def send_report(app, slug, headers):
    approved = store_comment(app, slug, status=CommentStatus.APPROVED)
    return app.test_client().post(
        f"/comments/{approved}/report", data={"reason": "spam"}, headers=headers
    )


def send_privacy_request(app, slug, headers):
    store_comment(app, slug, email="ada@example.org")
    return app.test_client().post(
        "/privacy/requests", data={"email": "ada@example.org", "what": "export"}, headers=headers
    )


# Each reader form, and the rows a POST of it stores (none before it is sent).
READER_FORMS = [
    (send_comment, Comment),
    (send_report, CommentReport),
    (send_privacy_request, OutgoingMessage),
]


@pytest.mark.parametrize(("send", "stored_model"), READER_FORMS)
@pytest.mark.parametrize("headers", [CROSS_SITE, SAME_SITE, {"Origin": "https://evil.example"}])
def test_a_reader_form_sent_from_another_site_is_refused(app, article, send, stored_model, headers):
    response = send(app, article, headers)
    assert response.status_code == 403
    assert "This form was sent from another site" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    assert count(app, stored_model) == 0


@pytest.mark.parametrize(("send", "stored_model"), READER_FORMS)
@pytest.mark.parametrize("headers", [SAME_ORIGIN, {"Sec-Fetch-Site": "none"}, {}])
def test_a_reader_form_from_our_own_page_or_no_browser_is_accepted(
    app, article, send, stored_model, headers
):
    response = send(app, article, headers)
    assert response.status_code in {200, 303}, response.get_data(as_text=True)
    assert count(app, stored_model) == 1


def test_a_trusted_origin_may_send_the_comment_form(make_app):
    app = make_app(TRUSTED_ORIGINS=["https://partner.example"])
    slug = publish_test_article(app)
    headers = {"Origin": "https://partner.example", "Sec-Fetch-Site": "cross-site"}
    assert send_comment(app, slug, headers).status_code == 303
    assert count(app, Comment) == 1


def test_site_url_is_our_origin_behind_a_proxy(make_app):
    app = make_app(SITE_URL="https://news.example.org")
    slug = publish_test_article(app)
    assert send_comment(app, slug, {"Origin": "https://news.example.org"}).status_code == 303


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/auth/login", {"username": "sam", "password": "correct horse battery staple"}),
        ("/moderation/comments/{comment_id}/approve", {"seen": "pending"}),
        ("/admin/settings", {"hold_link_count": "2", "comments_close_after_days": "0"}),
        ("/auth/logout", {}),
    ],
)
def test_forms_behind_a_login_still_need_their_token(app, article, desk, path, form):
    comment_id = store_comment(app, article)
    # Same-origin headers are not enough where a login is involved: the token is required.
    response = desk.client.post(path.format(comment_id=comment_id), data=form, headers=SAME_ORIGIN)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Comment, comment_id).status is CommentStatus.PENDING
