"""Editors' picks: moderators hold up the best comments, readers see them above the discussion."""

import json
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Comment
from app.models import CommentStatus
from app.models import ModerationEvent
from app.public import public_pages_version
from tests.conftest import ModeratorSession
from tests.conftest import add_test_moderator
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import csrf_token_from
from tests.helpers import elements_with_class
from tests.helpers import parse_html
from tests.helpers import text_of

APPROVED = CommentStatus.APPROVED
PICK_FORM = re.compile(r'<form[^>]*action="/moderation/comments/(\d+)/(pick|unpick)"')


def approved(app, article, body, **fields) -> int:
    return store_comment(app, article, status=APPROVED, body=body, **fields)


def page_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def picked(app, comment_id: int) -> bool:
    with app.app_context():
        return db.session.get(Comment, comment_id).picked_at is not None


def audit_actions(app, comment_id: int) -> list[str]:
    with app.app_context():
        actions = db.session.scalars(
            select(ModerationEvent.action)
            .where(ModerationEvent.comment_id == comment_id)
            .order_by(ModerationEvent.id)
        )
        return [action.value for action in actions]


def picks_section(html: str) -> list[str]:
    """The texts of the Editors' Picks shown above the discussion, in their order."""
    return [
        text_of(element.find(".//div")) for element in elements_with_class(parse_html(html), "pick")
    ]


def test_a_moderator_picks_from_the_desk_card_and_returns_there(app, desk, article):
    comment_id = approved(app, article, "The best point made today.")
    card = page_of(desk.client, "/moderation/approved?article=1")
    assert (str(comment_id), "pick") in PICK_FORM.findall(card)

    response = desk.act(comment_id, "pick", next="/moderation/approved?article=1")

    assert response.status_code == 303
    assert response.headers["Location"] == "/moderation/approved?article=1"
    assert picked(app, comment_id)
    card = page_of(desk.client, "/moderation/approved?article=1")
    assert "is now an Editors’ pick" in card
    assert (str(comment_id), "unpick") in PICK_FORM.findall(card)
    assert audit_actions(app, comment_id) == ["pick"]


def test_a_moderator_unpicks_from_the_desk(app, desk, article):
    comment_id = approved(app, article, "Good, then not so good.")
    desk.act(comment_id, "pick")
    response = desk.act(comment_id, "unpick", next="/moderation/picks")
    assert response.headers["Location"] == "/moderation/picks"
    assert not picked(app, comment_id)
    assert audit_actions(app, comment_id) == ["pick", "unpick"]


def test_only_approved_comments_have_a_pick_button(app, desk, article):
    store_comment(app, article, body="Still waiting.")
    assert PICK_FORM.findall(page_of(desk.client, "/moderation/")) == []


def test_a_pending_comment_cannot_be_picked(app, desk, article):
    comment_id = store_comment(app, article, body="Still waiting.")
    response = desk.act(comment_id, "pick", seen="pending")
    assert response.status_code == 400
    assert not picked(app, comment_id)


def test_a_comment_unapproved_meanwhile_is_not_picked(app, desk, article):
    """The stale guard: the moderator saw it approved, another sent it back to pending."""
    comment_id = approved(app, article, "Up for a moment.")
    add_test_moderator(app, "kim")
    kim = ModeratorSession(app.test_client())
    kim.log_in("kim")
    kim.act(comment_id, "unapprove")

    response = desk.act(comment_id, "pick", seen="approved")

    assert response.status_code == 409
    assert "kim sent it back to pending" in response.get_data(as_text=True)
    assert not picked(app, comment_id)
    assert "pick" not in audit_actions(app, comment_id)


@pytest.mark.parametrize(
    ("action", "back"), [("unapprove", "approve"), ("spam", "not_spam"), ("trash", "restore")]
)
def test_leaving_approved_unpicks(app, desk, article, action, back):
    comment_id = approved(app, article, "Picked, then taken down.")
    desk.act(comment_id, "pick")
    desk.act(comment_id, action)
    assert not picked(app, comment_id)
    assert audit_actions(app, comment_id) == ["pick", "unpick", action]
    # Approved again, it is not a pick until someone picks it again.
    assert desk.act(comment_id, back).status_code == 303
    with app.app_context():
        assert db.session.get(Comment, comment_id).status is APPROVED
    assert not picked(app, comment_id)


def test_picking_twice_changes_nothing_more(app, desk, article):
    comment_id = approved(app, article, "Picked by two at once.")
    desk.act(comment_id, "pick")
    response = desk.act(comment_id, "pick")
    assert response.status_code == 303
    assert audit_actions(app, comment_id) == ["pick"]


def test_the_picks_view_lists_picks_newest_pick_first_filtered_by_article(app, desk, article):
    first = approved(app, article, "Picked first.")
    second = approved(app, article, "Picked second.")
    approved(app, article, "Never picked.")
    desk.act(first, "pick")
    desk.act(second, "pick")
    html = page_of(desk.client, "/moderation/picks")
    assert "Never picked." not in html
    assert html.index("Picked second.") < html.index("Picked first.")
    assert 'Picks <span class="count">2</span>' in html
    assert "Picked first." not in page_of(desk.client, "/moderation/picks?article=999")


def test_the_article_shows_picks_newest_pick_first_up_to_the_setting(make_app):
    app = make_app(EDITORS_PICKS_SHOWN=2)
    article = publish_test_article(app)
    add_test_moderator(app)
    desk = ModeratorSession(app.test_client())
    desk.log_in()
    ids = [approved(app, article, f"Comment number {number}.") for number in range(4)]
    for comment_id in (ids[2], ids[0], ids[3]):
        desk.act(comment_id, "pick")

    html = page_of(app.test_client(), article_url(article))

    assert picks_section(html) == ["Comment number 3.", "Comment number 0."]
    assert "Editors’ Picks" in html
    assert f'href="/comments/{ids[3]}"' in html  # each links to its place in the thread
    # In the thread, every pick carries the mark, the unpicked do not.
    marked = [
        element.get("id")
        for element in elements_with_class(parse_html(html), "comment")
        if "Editors’ pick" in text_of(element.find("article/header"))
    ]
    assert marked == [f"comment-{ids[0]}", f"comment-{ids[2]}", f"comment-{ids[3]}"]


def test_without_picks_nothing_is_shown(app, article):
    approved(app, article, "Nobody picked this.")
    html = page_of(app.test_client(), article_url(article))
    assert "Editors’ Picks" not in html
    assert "editors-picks" not in html
    assert "Editors’ pick</span>" not in html


def test_a_moderator_picks_beside_the_comment_on_the_article_page(app, desk, article):
    comment_id = approved(app, article, "Worth holding up.")
    html = page_of(desk.client, article_url(article))
    assert PICK_FORM.findall(html) == [(str(comment_id), "pick")]
    form = html[html.index(f'/moderation/comments/{comment_id}/pick"') :]
    next_path = re.search(r'name="next" value="([^"]+)"', form).group(1)
    assert next_path == f"{article_url(article)}#comment-{comment_id}"

    response = desk.client.post(
        f"/moderation/comments/{comment_id}/pick",
        data={"csrf_token": csrf_token_from(form), "seen": "approved", "next": next_path},
    )

    assert response.status_code == 303
    assert response.headers["Location"] == next_path
    after = page_of(desk.client, article_url(article))
    assert "is now an Editors’ pick" in after
    assert PICK_FORM.findall(after) == [(str(comment_id), "unpick")]
    assert picks_section(after) == ["Worth holding up."]


def test_pick_buttons_need_the_desks_token(app, desk, article):
    comment_id = approved(app, article, "Forged pick.")
    response = desk.client.post(
        f"/moderation/comments/{comment_id}/pick", data={"seen": "approved"}
    )
    assert response.status_code == 400
    assert not picked(app, comment_id)


def test_a_public_copy_has_no_pick_button_and_no_token(app, desk, article):
    approved(app, article, "Seen by everybody.")
    # The moderator's page first: its shell must not become the readers'.
    assert PICK_FORM.findall(page_of(desk.client, article_url(article)))
    for _ in range(2):  # made by Flask, then the kept copy
        reader = app.test_client().get(article_url(article))
        html = reader.get_data(as_text=True)
        assert reader.headers["Cache-Control"].startswith("public")
        assert PICK_FORM.findall(html) == []
        assert "csrf_token" not in html
        assert "Pick<" not in html


def test_a_pick_reaches_a_new_reader(app, desk, article):
    comment_id = approved(app, article, "Soon on top.")
    assert picks_section(page_of(app.test_client(), article_url(article))) == []
    desk.act(comment_id, "pick")
    assert picks_section(page_of(app.test_client(), article_url(article))) == ["Soon on top."]
    desk.act(comment_id, "unpick")
    assert picks_section(page_of(app.test_client(), article_url(article))) == []


def test_the_json_ld_lists_the_picks_as_comments_without_emails(app, desk, article):
    comment_id = approved(
        app,
        article,
        "A <em>fine</em> point.",
        name="Pia Picked",
        email="pia.private@example.org",
    )
    desk.act(comment_id, "pick")
    html = page_of(app.test_client(), article_url(article))
    data_block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(data_block.group(1))
    assert data["comment"] == [
        {
            "@type": "Comment",
            "author": {"@type": "Person", "name": "Pia Picked"},
            "datePublished": data["comment"][0]["datePublished"],
            "text": "A fine point.",
            "url": f"http://localhost/comments/{comment_id}",
        }
    ]
    assert data["comment"][0]["datePublished"].endswith("Z")
    assert "pia.private@example.org" not in html


def test_the_json_ld_has_no_comments_without_picks(app, article):
    approved(app, article, "Not picked.")
    html = page_of(app.test_client(), article_url(article))
    data_block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "comment" not in json.loads(data_block.group(1))


def test_the_comment_feed_marks_picks(app, desk, article):
    chosen = approved(app, article, "Chosen words.", name="Chosen Reader")
    approved(app, article, "Ordinary words.", name="Ordinary Reader")
    desk.act(chosen, "pick")
    feed = page_of(app.test_client(), f"/feeds/articles/{article}/comments.atom")
    assert "<title>Editors’ pick: comment by Chosen Reader</title>" in feed
    assert "<title>Comment by Ordinary Reader</title>" in feed
    assert feed.count('<category term="editors-pick"') == 1


def test_the_audit_log_names_picks(app, admin, article):
    comment_id = approved(app, article, "Audited.")
    admin.act(comment_id, "pick")
    admin.act(comment_id, "unpick")
    assert audit_actions(app, comment_id) == ["pick", "unpick"]


def test_a_pick_moves_the_public_pages_version(app, desk, article):
    """So every worker's kept copies are renewed, not only this one's."""
    comment_id = approved(app, article, "Kept, then renewed.")
    with app.app_context():
        before = public_pages_version()
    desk.act(comment_id, "pick")
    with app.app_context():
        assert public_pages_version() != before
