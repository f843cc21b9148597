import pytest
from sqlalchemy import func
from sqlalchemy import select

from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentMode
from app.models import CommentStatus
from tests.helpers import article_url
from tests.helpers import comment_form
from tests.helpers import hidden_fields
from tests.helpers import post_comment


def stored_comments(app) -> list[Comment]:
    with app.app_context():
        return db.session.scalars(select(Comment).order_by(Comment.id)).all()


def count_comments(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Comment))


def test_valid_comment_waits_for_moderation_and_redirects_to_it(app, client, article):
    response = post_comment(client, article, body="Great news for the neighbourhood.")
    [comment] = stored_comments(app)
    assert comment.status is CommentStatus.PENDING
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{article_url(article)}#comment-{comment.id}")
    assert comment.author_email == "ada.reader@example.org"
    assert comment.ip_address == "127.0.0.1"


def test_author_sees_own_pending_comment_marked_as_awaiting_moderation(client, article):
    post_comment(client, article, body="Great news for the neighbourhood.")
    html = client.get(article_url(article)).get_data(as_text=True)
    assert "Great news for the neighbourhood." in html
    assert "Your comment is awaiting moderation." in html


def test_pending_comment_is_hidden_from_other_readers(app, client, article):
    post_comment(client, article, body="Great news for the neighbourhood.")
    stranger = app.test_client()
    for url in (article_url(article), "/"):
        html = stranger.get(url).get_data(as_text=True)
        assert "Great news for the neighbourhood." not in html
        assert "awaiting moderation" not in html
    assert "0 comments" in stranger.get("/").get_data(as_text=True)


def test_heading_invites_discussion_when_there_are_no_comments(client, article):
    html = client.get(article_url(article)).get_data(as_text=True)
    assert "No comments yet. Why don’t you start the discussion?" in html
    assert "Your email address will not be published. Required fields are marked" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Please enter your name."),
        ("name", "   ", "Please enter your name."),
        ("email", "", "Please enter your email address."),
        ("email", "not-an-email", "That email address doesn’t look right"),
        ("email", "ada@", "That email address doesn’t look right"),
        ("body", "", "Please write your comment."),
        ("body", " \n\t ", "Please write your comment."),
        ("name", "N" * 101, "Please keep your name to 100 characters or fewer; it is 101."),
        ("email", "a" * 245 + "@example.org", "Please keep your email to 254 characters"),
        ("website", "https://example.org/" + "p" * 181, "Please keep your website to 200"),
        (
            "body",
            "word " * 1001,
            "Please keep your comment to 5,000 characters or fewer; it is 5,005.",
        ),
        ("website", "example.org", "starting with http:// or https://"),
        ("website", "javascript:alert(1)", "starting with http:// or https://"),
        ("website", "data:text/html,hi", "starting with http:// or https://"),
        ("website", "ftp://example.org/file", "starting with http:// or https://"),
        ("website", "https://exa mple.org", "cannot contain spaces"),
        ("website", "https://", "starting with http:// or https://"),
        ("name", "Ada\x00Lovelace", "control characters"),
        ("body", "Hello\x1b[31m world", "control characters"),
    ],
)
def test_invalid_comment_is_refused_with_its_message_and_the_text_kept(
    app, client, article, field, value, message
):
    typed = {
        "name": "Ada Reader",
        "email": "ada.reader@example.org",
        "website": "https://ada.example.org",
        "body": "My carefully written comment that must not be lost.",
    }
    typed[field] = value
    response = post_comment(client, article, **typed)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert f'aria-describedby="{field}-error' in html or f'{field}-error"' in html
    for kept_field, kept_value in typed.items():
        if kept_field != field and kept_value:
            assert kept_value in html
    assert count_comments(app) == 0


def test_comment_is_never_truncated(app, client, article):
    body = "x" * 5000
    assert post_comment(client, article, body=body).status_code == 303
    assert stored_comments(app)[0].body_raw == body


def test_missing_csrf_token_is_refused_and_nothing_is_stored(app, client, article):
    response = client.post(f"/articles/{article}/comments", data=comment_form())
    assert response.status_code == 400
    assert count_comments(app) == 0


def test_a_form_sent_without_javascript_comes_back_once_then_is_stored(app, client, article):
    client.get(article_url(article))
    data = comment_form(body="Text I spent ten minutes writing.")
    first = client.post(f"/articles/{article}/comments", data=data)
    html = first.get_data(as_text=True)
    assert first.status_code == 400
    assert "Please check your comment and send it again." in html
    assert "Text I spent ten minutes writing." in html
    assert count_comments(app) == 0
    # The second press sends the form as it came back: with the stamp it was given.
    again = client.post(f"/articles/{article}/comments", data={**data, **hidden_fields(html)})
    assert again.status_code == 303
    assert count_comments(app) == 1


def test_extra_fields_cannot_approve_a_comment(app, client, article):
    page = client.get(article_url(article)).get_data(as_text=True)
    data = comment_form(status="approved", id="1", article_id="999", status_changed_by_id="1")
    data.update(hidden_fields(page, client))
    assert client.post(f"/articles/{article}/comments", data=data).status_code == 303
    [comment] = stored_comments(app)
    assert comment.status is CommentStatus.PENDING
    assert comment.status_changed_by_id is None


def test_closed_article_refuses_comments(app, client, article):
    # The reader opened the page while comments were still open.
    hidden = hidden_fields(client.get(article_url(article)).get_data(as_text=True), client)
    with app.app_context():
        db.session.scalar(select(Article)).comment_mode = CommentMode.CLOSED
        db.session.commit()
    page = client.get(article_url(article)).get_data(as_text=True)
    assert "Comments are closed on this article." in page
    assert 'class="comment-form"' not in page

    data = comment_form(body="Sent after the editor closed comments.", **hidden)
    response = client.post(f"/articles/{article}/comments", data=data)
    assert response.status_code == 403
    assert "Comments are closed on this article." in response.get_data(as_text=True)
    assert count_comments(app) == 0


def test_commenting_on_an_unknown_article_is_a_404(client, article):
    data = comment_form(
        **hidden_fields(client.get(article_url(article)).get_data(as_text=True), client)
    )
    assert client.post("/articles/no-such-story/comments", data=data).status_code == 404


def test_body_is_cleaned_on_write_and_the_raw_text_kept(app, client, article):
    post_comment(client, article, body="Hi <b>there</b>\n\n<em>friend</em> https://example.org")
    [comment] = stored_comments(app)
    assert comment.body_raw == "Hi <b>there</b>\n\n<em>friend</em> https://example.org"
    assert comment.body_html == (
        "<p>Hi &lt;b&gt;there&lt;/b&gt;</p><p><em>friend</em> "
        '<a href="https://example.org" rel="nofollow ugc noopener">https://example.org</a></p>'
    )


def test_name_and_website_are_stored_as_plain_text(app, client, article):
    post_comment(
        client, article, name="<i>Ada</i> & co", website="https://ada.example.org/?a=1&b=2"
    )
    [comment] = stored_comments(app)
    assert comment.author_name == "<i>Ada</i> & co"
    html = client.get(article_url(article)).get_data(as_text=True)
    assert "&lt;i&gt;Ada&lt;/i&gt; &amp; co" in html
    assert 'href="https://ada.example.org/?a=1&amp;b=2" rel="nofollow ugc noopener"' in html


def test_email_is_normalised_but_kept(app, client, article):
    post_comment(client, article, email="  Ada.Reader@EXAMPLE.org ")
    assert stored_comments(app)[0].author_email == "Ada.Reader@example.org"


def test_a_readers_earlier_pending_comments_stay_visible_to_them(client, article):
    for number in range(3):
        post_comment(client, article, body=f"Comment number {number}")
    html = client.get(article_url(article)).get_data(as_text=True)
    assert all(f"Comment number {number}" in html for number in range(3))
    assert html.count("Your comment is awaiting moderation.") == 3
