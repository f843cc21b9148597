"""Kept article pages: the same page a full render gives, with each reader's own parts."""

from datetime import timedelta

import pytest

from app.articles import views
from app.articles.views import article_page
from app.comments.forms import CommentForm
from app.comments.listing import DiscussionOrder
from app.comments.own import remember_own_comment
from app.extensions import db
from app.models import Article
from app.models import CommentStatus
from app.models import utcnow
from app.rendered_pages import RenderedPages
from tests.conftest import ARTICLE_SOURCE
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import form_stamp_from
from tests.helpers import hidden_fields
from tests.helpers import post_comment


def full_render_for(app, client, path: str) -> str:
    """The page rendered in full, as for a reader who is replying, with `client`'s cookies."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    headers = {"Cookie": f"{cookie.key}={cookie.value}"} if cookie else {}
    with app.test_request_context(path, headers=headers):
        slug = path.split("/")[2].split("?")[0]
        article = db.session.scalar(db.select(Article).where(Article.slug == slug))
        body, _, _ = article_page(article, CommentForm(formdata=None))
        return body


def test_a_kept_page_is_the_page_a_full_render_gives(app, client, article):
    for number in range(5):
        store_comment(app, article, status=CommentStatus.APPROVED, body=f"Approved {number}")
    kept = client.get(article_url(article)).get_data(as_text=True)
    again = client.get(article_url(article)).get_data(as_text=True)
    assert kept == again == full_render_for(app, client, article_url(article))
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


def reader_who_wrote(app, comment_ids: list[int]):
    reader = app.test_client()
    with reader.session_transaction() as session:
        for comment_id in comment_ids:
            remember_own_comment(session, comment_id)
    return reader


def pages_of(slug: str, order: DiscussionOrder) -> list[str]:
    """Every page in this order, and one past the last (which shows the last)."""
    query = f"order={order.slug}&" if order.slug else ""
    return [f"{article_url(slug)}?{query}page={number}" for number in range(1, 5)]


@pytest.fixture
def pending_everywhere(make_app):
    """Three comments to a page, and a reader's comments awaiting moderation in every place
    one can go, in each order:

    - "discussion": T0; T1 with replies R1a and R1b; T2, T3, T4; R1b, T3 and T4 picked.
      Oldest first its pages are [T0 T1 R1a] [R1b T2 T3] [T4] (page 2 starts mid-thread),
      newest first [T4 T3 T2] [T1 R1a R1b] [T0], picks [T1 R1b T3] [T4]. The reader's:
      a new thread, and replies to T0 (none yet), T1 (after R1a and R1b), R1b and T4.
    - "quiet", closed: one approved comment, no picks, so the picks order has no thread;
      the reader's new thread and reply to it are the page's only threads there.
    - "empty": no approved comment; the reader's new thread is the page's only one.
    """
    app = make_app(COMMENTS_PER_PAGE=3)
    discussion = publish_test_article(app)
    quiet = publish_test_article(
        app,
        ARTICLE_SOURCE.replace("slug: ", "slug: quiet-", 1).replace(
            "comments: open", "comments: closed"
        ),
    )
    empty = publish_test_article(app, ARTICLE_SOURCE.replace("slug: ", "slug: empty-", 1))
    start = utcnow() - timedelta(days=1)
    approved = {}

    def add(name, slug=discussion, parent=None, picked=False, status=CommentStatus.APPROVED):
        minutes = len(approved)
        comment_id = store_comment(
            app,
            slug,
            status=status,
            body=name,
            parent_id=approved.get(parent),
            created_at=start + timedelta(minutes=minutes),
            picked_at=start + timedelta(hours=1, minutes=minutes) if picked else None,
        )
        approved[name] = comment_id
        return comment_id

    for name, parent, picked in [
        ("T0", None, False),
        ("T1", None, False),
        ("R1a", "T1", False),
        ("R1b", "T1", True),
        ("T2", None, False),
        ("T3", None, True),
        ("T4", None, True),
    ]:
        add(name, parent=parent, picked=picked)
    add("Q", slug=quiet)
    pending = [
        add(f"Mine: {where}", slug=slug, parent=parent, status=CommentStatus.PENDING)
        for where, slug, parent in [
            ("a new thread", discussion, None),
            ("a reply to T0", discussion, "T0"),
            ("a reply to T1", discussion, "T1"),
            ("a reply to R1b", discussion, "R1b"),
            ("a reply to T4", discussion, "T4"),
            ("a new thread on a quiet page", quiet, None),
            ("a reply to Q", quiet, "Q"),
            ("alone on an empty page", empty, None),
        ]
    ]
    return app, reader_who_wrote(app, pending), pending, (discussion, quiet, empty)


def test_a_reply_put_in_after_text_beyond_ascii_lands_where_the_full_render_has_it(app, article):
    # The kept page finds its slots by their place in the encoded bytes: text of two, three
    # and four bytes a character before them must not move a reply off its place.
    first = store_comment(app, article, status=CommentStatus.APPROVED, body="Café, naïve — ✓ 🗞️")
    store_comment(app, article, status=CommentStatus.APPROVED, body="Zürich’s view: ½ — ok")
    reply = store_comment(app, article, body="Mine: a reply, «merci»", parent_id=first)
    thread = store_comment(app, article, body="Mine: a new thread, 日本語")
    reader = reader_who_wrote(app, [reply, thread])
    page = reader.get(article_url(article)).get_data(as_text=True)
    assert page == full_render_for(app, reader, article_url(article))
    assert page.index("Café") < page.index("«merci»") < page.index("Zürich") < page.index("日本語")
    assert app.test_client().get(article_url(article)).get_data(as_text=True) == (
        full_render_for(app, app.test_client(), article_url(article))
    )


@pytest.mark.parametrize("order", list(DiscussionOrder), ids=lambda order: order.name)
def test_own_pending_comments_put_into_a_kept_page_give_the_full_render(
    pending_everywhere, order, monkeypatch
):
    app, reader, pending, slugs = pending_everywhere
    # The reader's pages must come from the kept page, not from a full render of their own.
    monkeypatch.setattr(views, "article_page", None)
    pages = set()
    for slug in slugs:
        for path in pages_of(slug, order):
            answer = reader.get(path)
            assert answer.headers["Cache-Control"] == "private, no-cache"
            page = answer.get_data(as_text=True)
            assert "<!--reader:" not in page
            assert page == full_render_for(app, reader, path), path
            pages.add(page)
            public = app.test_client().get(path).get_data(as_text=True)
            assert "Mine:" not in public
            assert public == full_render_for(app, app.test_client(), path), path
    # Each of them on exactly one page (a page past the last shows the last: counted once).
    shown = [each for page in pages for each in pending if f'id="comment-{each}"' in page]
    assert sorted(shown) == sorted(pending)
