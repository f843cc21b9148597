"""Kept article pages: the same page a full render gives, with each reader's own parts."""

from app.articles.page_cache import RenderedPages
from app.articles.views import article_page
from app.comments.forms import CommentForm
from app.extensions import db
from app.models import Article
from app.models import CommentStatus
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import form_stamp_from
from tests.helpers import hidden_fields
from tests.helpers import post_comment


def full_render(app, slug: str) -> str:
    with app.test_request_context(article_url(slug)):
        article = db.session.scalar(db.select(Article).where(Article.slug == slug))
        body, _, _ = article_page(article, CommentForm(formdata=None))
        return body


def test_a_kept_page_is_the_page_a_full_render_gives(app, client, article):
    for number in range(5):
        store_comment(app, article, status=CommentStatus.APPROVED, body=f"Approved {number}")
    kept = client.get(article_url(article)).get_data(as_text=True)
    again = client.get(article_url(article)).get_data(as_text=True)
    assert kept == again == full_render(app, article)
    assert "<!--reader:" not in kept


def test_the_page_holds_no_token_or_stamp_and_every_reader_can_post(app, article):
    first, second = app.test_client(), app.test_client()
    first_page = first.get(article_url(article)).get_data(as_text=True)
    second_page = second.get(article_url(article)).get_data(as_text=True)
    assert first_page == second_page
    assert 'name="csrf_token"' not in first_page
    assert form_stamp_from(first_page) == ""
    for client in (first, second):
        page = client.get(article_url(article)).get_data(as_text=True)
        data = {
            "name": "A",
            "email": "a@example.org",
            "body": f"From {id(client)}",
            **hidden_fields(page, client),
        }
        assert client.post(f"/articles/{article}/comments", data=data).status_code == 303


def test_a_change_shows_at_once_because_the_version_moves(app, desk, client, article):
    comment_id = store_comment(app, article, body="Waiting for a decision")
    assert "Waiting for a decision" not in client.get(article_url(article)).get_data(as_text=True)
    desk.act(comment_id, "approve")
    assert "Waiting for a decision" in client.get(article_url(article)).get_data(as_text=True)
    desk.act(comment_id, "unapprove")
    assert "Waiting for a decision" not in client.get(article_url(article)).get_data(as_text=True)


def test_staff_links_only_for_a_logged_in_moderator(app, desk, client, article):
    assert "Log out sam" in desk.client.get(article_url(article)).get_data(as_text=True)
    assert "Log out" not in client.get(article_url(article)).get_data(as_text=True)


def test_a_flash_message_reaches_only_its_reader_and_only_once(app, client, article):
    approved = store_comment(app, article, status=CommentStatus.APPROVED)
    client.get(f"/comments/{approved}/report")
    client.post(f"/comments/{approved}/report", data={"reason": "spam"})
    thanks = "Thank you. A moderator will look at this comment."
    assert thanks in client.get(article_url(article)).get_data(as_text=True)
    assert thanks not in client.get(article_url(article)).get_data(as_text=True)
    assert thanks not in app.test_client().get(article_url(article)).get_data(as_text=True)


def test_a_comment_cannot_forge_a_reader_slot(app, client, article):
    store_comment(
        app,
        article,
        status=CommentStatus.APPROVED,
        body="<!--reader:form--> <!--reader:staff-nav--> <!--reader:flashes-->",
    )
    html = client.get(article_url(article)).get_data(as_text=True)
    assert html.count('class="comment-form"') == 1
    assert "&lt;!--reader:form--&gt;" in html


def test_closing_comments_is_seen_on_a_kept_page(app, admin, client, article):
    assert 'class="comment-form"' in client.get(article_url(article)).get_data(as_text=True)
    admin.client.post(
        "/admin/settings",
        data={
            "csrf_token": admin.token(),
            "hold_link_count": "2",
            "comments_close_after_days": "0",
        },
    )
    html = client.get(article_url(article)).get_data(as_text=True)
    assert "Comments are switched off across the site" in html
    assert 'class="comment-form"' not in html


def test_a_reader_with_comments_awaiting_moderation_sees_them(app, client, article):
    client.get(article_url(article))
    post_comment(client, article, body="Mine, not yet approved")
    assert "Mine, not yet approved" in client.get(article_url(article)).get_data(as_text=True)
    assert "Mine, not yet approved" not in app.test_client().get(article_url(article)).get_data(
        as_text=True
    )


def test_the_number_of_kept_pages_is_bounded():
    kept = RenderedPages(capacity=3)
    for number in range(10):
        kept.put(("page", number), f"page {number}")
    assert kept.get(("page", 0)) is None
    assert kept.get(("page", 9)) == "page 9"
    kept.get(("page", 7))
    kept.put(("page", 10), "page 10")
    assert kept.get(("page", 7)) == "page 7"
    assert kept.get(("page", 8)) is None
