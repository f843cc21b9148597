"""Replies, pages of a long discussion, permalinks, and "save my details"."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentStatus
from app.models import utcnow
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import comment_form
from tests.helpers import hidden_fields
from tests.helpers import parse_html
from tests.helpers import post_comment
from tests.helpers import text_of

APPROVED = CommentStatus.APPROVED


def approved_chain(app, slug, depth: int) -> list[int]:
    """A comment, a reply to it, a reply to that... `depth` comments deep."""
    ids: list[int] = []
    for level in range(depth):
        ids.append(
            store_comment(
                app,
                slug,
                status=APPROVED,
                body=f"Level {level + 1}",
                name=f"Person {level + 1}",
                parent_id=ids[-1] if ids else None,
            )
        )
    return ids


def reply(client, slug, parent_id, **fields):
    page = client.get(f"{article_url(slug)}?replytocom={parent_id}").get_data(as_text=True)
    data = {**comment_form(**fields), **hidden_fields(page, client), "parent": str(parent_id)}
    return client.post(f"/articles/{slug}/comments", data=data)


def many_comments(app, slug, how_many: int) -> list[int]:
    """Approved top-level comments a minute apart, oldest first."""
    start = utcnow() - timedelta(days=1)
    return [
        store_comment(
            app,
            slug,
            status=APPROVED,
            body=f"Comment {n:03}",
            created_at=start + timedelta(minutes=n),
        )
        for n in range(how_many)
    ]


# Replies


def test_reply_links_work_without_javascript(client, app, article):
    [first] = approved_chain(app, article, 1)
    html = client.get(article_url(article)).get_data(as_text=True)
    assert f'href="/articles/{article}?replytocom={first}#respond"' in html
    page = client.get(f"{article_url(article)}?replytocom={first}").get_data(as_text=True)
    assert "Reply to <bdi>Person 1</bdi>" in page
    assert "Cancel reply" in page
    assert f'name="parent" type="hidden" value="{first}"' in page


def test_a_reply_is_stored_under_its_parent_and_shown_there_to_its_author(app, client, article):
    [first] = approved_chain(app, article, 1)
    store_comment(app, article, status=APPROVED, body="A later thread")
    response = reply(client, article, first, body="I agree with you.")
    assert response.status_code == 303
    with app.app_context():
        new = db.session.scalar(select(Comment).where(Comment.body_raw == "I agree with you."))
        assert (new.parent_id, new.status) == (first, CommentStatus.PENDING)
    assert response.headers["Location"].endswith(f"#comment-{new.id}")

    document = parse_html(client.get(article_url(article)).get_data(as_text=True))
    parent = next(li for li in document.iter("li") if li.get("id") == f"comment-{first}")
    children = parent.find("ol")
    assert children is not None
    assert "I agree with you." in text_of(children)
    assert "Your comment is awaiting moderation." in text_of(children)


def test_threads_nest_three_deep_and_no_deeper(app, client, article):
    chain = approved_chain(app, article, 3)
    html = client.get(article_url(article)).get_data(as_text=True)
    for comment_id in chain[:2]:
        assert f"replytocom={comment_id}" in html
    assert f"replytocom={chain[2]}" not in html
    response = reply(client, article, chain[2], body="Fourth level")
    assert response.status_code == 400
    assert "This conversation is as deep as it goes" in response.get_data(as_text=True)
    assert "Fourth level" in response.get_data(as_text=True)


@pytest.mark.parametrize("status", [CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.TRASH])
def test_replies_to_unpublished_comments_are_refused(app, client, article, status):
    hidden_parent = store_comment(app, article, status=status, body="Not public")
    response = reply(client, article, hidden_parent, body="My reply text")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "You can only reply to a comment that has been published on this article." in html
    assert "My reply text" in html
    with app.app_context():
        assert db.session.scalar(select(Comment).where(Comment.body_raw == "My reply text")) is None


def test_a_reply_to_another_articles_comment_is_refused(app, client, article):
    from tests.conftest import ARTICLE_SOURCE
    from tests.conftest import publish_test_article

    other = publish_test_article(
        app, ARTICLE_SOURCE.replace("council-approves-riverside-park", "other")
    )
    [elsewhere] = approved_chain(app, other, 1)
    assert reply(client, article, elsewhere, body="Crossed wires").status_code == 400


def test_a_reply_link_to_an_unpublished_comment_shows_a_plain_form(app, client, article):
    pending = store_comment(app, article, body="Pending")
    html = client.get(f"{article_url(article)}?replytocom={pending}").get_data(as_text=True)
    assert "Reply to" not in html
    assert 'name="parent" type="hidden" value=""' in html


# Pages


def test_long_discussions_are_paged_with_links_at_top_and_bottom(app, client, article):
    ids = many_comments(app, article, 120)
    first = client.get(article_url(article)).get_data(as_text=True)
    assert "120 comments on" in first
    assert first.count('class="comment depth-1') == 50
    assert "Comment 000" in first and "Comment 049" in first and "Comment 050" not in first
    assert first.count('aria-label="Comment pages') == 2
    assert 'rel="next"' in first
    last = client.get(f"{article_url(article)}?page=3").get_data(as_text=True)
    assert last.count('class="comment depth-1') == 20
    assert "Comment 119" in last
    assert client.get(f"{article_url(article)}?page=99").status_code == 200
    assert ids


def test_a_discussion_of_many_pages_links_its_ends_and_the_pages_near_the_reader(make_app):
    # Linking every page made a viral story's page grow with its discussion: 5,000
    # comments printed 100 page links twice, a quarter of the page's bytes.
    site = make_app(COMMENTS_PER_PAGE=2)
    article = publish_test_article(site)
    many_comments(site, article, 40)
    html = site.test_client().get(f"{article_url(article)}?page=10").get_data(as_text=True)
    [top, bottom] = parse_html(html).iterfind(".//nav[@class='comment-pages']")
    for nav in (top, bottom):
        items = [text_of(item) for item in nav.iterfind(".//li")]
        assert items == ["1", "…", "8", "9", "10", "11", "12", "…", "20"]
        hrefs = [link.get("href") for link in nav.iter("a")]
        assert hrefs[0] == f"{article_url(article)}?page=9#comments"  # ← Older comments
        assert hrefs[1] == f"{article_url(article)}#comments"
        assert hrefs[-1] == f"{article_url(article)}?page=11#comments"  # Newer comments →
        assert f"{article_url(article)}?page=20#comments" in hrefs
    last = site.test_client().get(f"{article_url(article)}?page=20").get_data(as_text=True)
    assert "Comment 039" in last


def test_replies_count_towards_the_page_and_stay_with_their_thread(app, client, article):
    ids = many_comments(app, article, 50)
    store_comment(
        app,
        article,
        status=APPROVED,
        body="Reply to the first",
        parent_id=ids[0],
        created_at=utcnow(),
    )
    first_page = client.get(article_url(article)).get_data(as_text=True)
    assert (
        first_page.index("Comment 000")
        < first_page.index("Reply to the first")
        < first_page.index("Comment 001")
    )
    assert first_page.count('class="comment depth') == 50
    assert "Comment 048" in first_page
    assert "Comment 049" not in first_page


def test_a_permalink_finds_its_page(app, client, article):
    ids = many_comments(app, article, 120)
    response = client.get(f"/comments/{ids[75]}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"{article_url(article)}?page=2#comment-{ids[75]}"
    assert (
        client.get(f"/comments/{ids[3]}").headers["Location"]
        == f"{article_url(article)}#comment-{ids[3]}"
    )
    pending = store_comment(app, article, body="Not yet public")
    assert client.get(f"/comments/{pending}").status_code == 404


def test_own_pending_comments_stay_visible_across_pages(app, client, article):
    many_comments(app, article, 120)
    response = post_comment(client, article, body="My brand new thought")
    assert "?page=3#comment-" in response.headers["Location"]
    last = client.get(f"{article_url(article)}?page=3").get_data(as_text=True)
    assert "My brand new thought" in last
    first = client.get(article_url(article)).get_data(as_text=True)
    assert "Your comment is awaiting moderation: " in first
    assert "see it on page 3" in first
    stranger = app.test_client().get(f"{article_url(article)}?page=3").get_data(as_text=True)
    assert "My brand new thought" not in stranger


def test_a_pending_reply_shows_on_its_parents_page(app, client, article):
    ids = many_comments(app, article, 120)
    response = reply(client, article, ids[10], body="Replying on page one")
    assert response.headers["Location"].startswith(f"{article_url(article)}#comment-")
    assert "Replying on page one" in client.get(article_url(article)).get_data(as_text=True)


# Save my details


def test_nothing_is_remembered_without_the_tick(client, article):
    response = post_comment(client, article)
    assert "commenter=" not in response.headers.get("Set-Cookie", "")
    html = client.get(article_url(article)).get_data(as_text=True)
    assert 'value="Ada Reader"' not in html


def test_ticked_details_are_remembered_and_prefilled(client, article):
    response = post_comment(client, article, remember="y", website="https://ada.example")
    cookie = client.get_cookie("commenter")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert "ada.reader@example.org" not in response.headers["Set-Cookie"]
    html = client.get(article_url(article)).get_data(as_text=True)
    assert 'value="Ada Reader"' in html
    assert 'value="ada.reader@example.org"' in html
    assert 'value="https://ada.example"' in html
    assert re.search(r'<input checked id="remember"', html)


def test_unticking_forgets_the_details(client, article):
    post_comment(client, article, remember="y")
    post_comment(client, article, body="Second thought, not remembered")
    assert client.get_cookie("commenter") is None


def test_a_tampered_details_cookie_is_ignored(client, article):
    client.set_cookie("commenter", "eyJuYW1lIjoiPHNjcmlwdD4ifQ.forged")
    html = client.get(article_url(article)).get_data(as_text=True)
    assert "&lt;script&gt;" not in html
    assert 'name="name" required type="text" value=""' in html


def test_remembered_details_are_only_in_that_readers_browser(app, client, article):
    post_comment(client, article, remember="y")
    html = app.test_client().get(article_url(article)).get_data(as_text=True)
    assert "ada.reader@example.org" not in html


def test_article_without_comments_still_has_one_page(client, article):
    html = client.get(article_url(article)).get_data(as_text=True)
    assert "Comment pages" not in html
    with client.application.app_context():
        assert db.session.scalar(select(Article.id)) is not None
