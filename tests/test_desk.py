"""The moderation desk: queues, every action and its undo, bulk, stale actions, history."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Article
from app.models import AuditAction
from app.models import Comment
from app.models import CommentReport
from app.models import CommentStatus
from app.models import ModerationEvent
from app.models import ReportReason
from tests.conftest import ModeratorSession
from tests.conftest import add_test_moderator
from tests.conftest import store_comment

PENDING, APPROVED, SPAM, TRASH = (
    CommentStatus.PENDING,
    CommentStatus.APPROVED,
    CommentStatus.SPAM,
    CommentStatus.TRASH,
)


def status_of(app, comment_id: int) -> CommentStatus | None:
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        return comment.status if comment else None


def audit_rows(app) -> list[ModerationEvent]:
    with app.app_context():
        return db.session.scalars(
            select(ModerationEvent)
            .options(selectinload(ModerationEvent.moderator))
            .order_by(ModerationEvent.id)
        ).all()


def undo(desk, next_path: str = "/moderation/"):
    return desk.client.post(
        "/moderation/undo", data={"csrf_token": desk.token(), "next": next_path}
    )


@pytest.fixture
def second_desk(app, desk):
    add_test_moderator(app, "alex")
    other = ModeratorSession(app.test_client())
    other.log_in("alex")
    return other


# Queues


@pytest.mark.parametrize(
    ("queue", "status"),
    [("", PENDING), ("approved", APPROVED), ("spam", SPAM), ("trash", TRASH)],
)
def test_each_queue_lists_its_status(app, desk, article, queue, status):
    store_comment(app, article, status=status, body=f"A {status.value} comment")
    store_comment(app, article, status=PENDING if status is not PENDING else SPAM, body="Other")
    html = desk.client.get(f"/moderation/{queue}").get_data(as_text=True)
    assert f"A {status.value} comment" in html
    assert "Other" not in html


def test_navigation_shows_live_counts(app, desk, article):
    for status, count in ((PENDING, 3), (APPROVED, 2), (SPAM, 1)):
        for number in range(count):
            store_comment(app, article, status=status, body=f"{status.value} {number}")
    html = desk.client.get("/moderation/").get_data(as_text=True)
    assert 'Pending <span class="count">3</span>' in html
    assert 'Approved <span class="count">2</span>' in html
    assert 'Spam <span class="count">1</span>' in html
    assert 'Trash <span class="count">0</span>' in html


def test_pending_is_oldest_first_and_approved_newest_first(app, desk, article):
    for body in ("First", "Second"):
        store_comment(app, article, body=f"Pending {body}")
        store_comment(app, article, status=APPROVED, body=f"Approved {body}")
    pending = desk.client.get("/moderation/").get_data(as_text=True)
    approved = desk.client.get("/moderation/approved").get_data(as_text=True)
    assert pending.index("Pending First") < pending.index("Pending Second")
    assert approved.index("Approved Second") < approved.index("Approved First")


def test_unknown_queue_is_a_404(desk):
    assert desk.client.get("/moderation/everything").status_code == 404


def test_filter_by_article(app, desk, article):
    from tests.conftest import ARTICLE_SOURCE
    from tests.conftest import publish_test_article

    other = publish_test_article(
        app, ARTICLE_SOURCE.replace("council-approves-riverside-park", "other-story")
    )
    store_comment(app, article, body="On the park")
    store_comment(app, other, body="On the other story")
    with app.app_context():
        from app.models import Article

        other_id = db.session.scalar(select(Article.id).where(Article.slug == other))
    html = desk.client.get(f"/moderation/?article={other_id}").get_data(as_text=True)
    assert "On the other story" in html
    assert "On the park" not in html


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("casino", "Casino night"),
        ("CASINO", "Casino night"),
        ("odd.one@example.net", "From the odd one"),
        ("198.51.100.77", "From an odd IP"),
        ("Ximena", "By Ximena"),
        ("https://ximena.example", "By Ximena"),
    ],
)
def test_search_by_words_name_email_website_or_ip(app, desk, article, term, found):
    store_comment(app, article, body="Casino night")
    store_comment(app, article, body="From the odd one", email="odd.one@example.net")
    store_comment(app, article, body="From an odd IP", ip_address="198.51.100.77")
    store_comment(app, article, body="By Ximena", name="Ximena Q", website="https://ximena.example")
    store_comment(app, article, body="Nothing special")
    response = desk.client.post(
        "/moderation/search", data={"q": term, "csrf_token": desk.token(), "next": "/moderation/"}
    )
    assert response.status_code == 303
    assert term not in response.headers["Location"]
    html = desk.client.get("/moderation/").get_data(as_text=True)
    assert found in html
    assert "Nothing special" not in html


def test_search_can_be_cleared(app, desk, article):
    store_comment(app, article, body="Casino night")
    store_comment(app, article, body="Nothing special")
    desk.client.post("/moderation/search", data={"q": "casino", "csrf_token": desk.token()})
    desk.client.post("/moderation/search", data={"q": "", "csrf_token": desk.token()})
    assert "Nothing special" in desk.client.get("/moderation/").get_data(as_text=True)


def test_card_shows_everything_a_moderator_needs(app, desk, article):
    parent = store_comment(
        app, article, status=APPROVED, body="The original remark", name="Parent Person"
    )
    store_comment(
        app,
        article,
        body="A reply with https://a.example and https://b.example",
        email="card@example.org",
        website="https://card.example",
        user_agent="TestBrowser/1.0",
        parent_id=parent,
        moderation_reasons=["links:2", "held_word:casino"],
    )
    html = desk.client.get("/moderation/").get_data(as_text=True)
    for detail in (
        "card@example.org",
        "https://card.example",
        "192.0.2.10",
        "TestBrowser/1.0",
        "2 links",
        "held word: casino",
        "first comment from this email",
        "In reply to <bdi>Parent Person</bdi>",
        "The original remark",
        "Council Approves New Riverside Park",
    ):
        assert detail in html, detail


def test_commenter_history_counts_and_links_to_everything(app, desk, article):
    for status in (APPROVED, APPROVED, SPAM, PENDING):
        store_comment(
            app, article, status=status, email="regular@example.org", body=f"{status.value} words"
        )
    store_comment(
        app, article, email="someone@example.org", ip_address="203.0.113.50", body="Unrelated"
    )
    html = desk.client.get("/moderation/").get_data(as_text=True)
    assert (
        "This email:\n          2 approved · 1 pending · 1 spam · 0 trash" in html
        or "2 approved · 1 pending · 1 spam · 0 trash" in html
    )
    with app.app_context():
        pending_id = db.session.scalar(
            select(Comment.id).where(Comment.body_raw == "pending words")
        )
    everything = desk.client.get(f"/moderation/commenter/{pending_id}/email")
    html = everything.get_data(as_text=True)
    assert everything.status_code == 200
    assert html.count('class="queue-item"') == 4
    assert "Unrelated" not in html
    assert "regular@example.org" not in everything.request.url


def test_a_long_history_counts_only_the_commenters_newest_comments(app, desk, article):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    statuses = [SPAM] * 3 + [APPROVED] * 100
    with app.app_context():
        article_row = db.session.scalar(select(Article).where(Article.slug == article))
        db.session.add_all(
            Comment(
                article=article_row,
                author_name="Prolific Reader",
                author_email="prolific@example.org",
                body_raw=f"Comment {number}",
                body_html=f"<p>Comment {number}</p>",
                status=status,
                ip_address=f"198.51.100.{number % 200}",
                created_at=start + timedelta(minutes=number),
            )
            for number, status in enumerate(statuses)
        )
        db.session.commit()
    store_comment(app, article, email="prolific@example.org", body="The newest, pending")
    html = desk.client.get("/moderation/").get_data(as_text=True)
    assert "This email: more than 100 comments; the newest of them:" in html
    # The newest 101: the pending one, 100 approved; the three spam ones are older than that.
    assert "100 approved · 1 pending · 0 spam · 0 trash" in " ".join(html.split())


# Actions and undo


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        (PENDING, "approve", APPROVED),
        (APPROVED, "unapprove", PENDING),
        (PENDING, "spam", SPAM),
        (APPROVED, "spam", SPAM),
        (PENDING, "trash", TRASH),
        (SPAM, "trash", TRASH),
    ],
)
def test_each_action_and_its_undo(app, desk, article, start, action, end):
    comment_id = store_comment(app, article, status=start)
    response = desk.act(comment_id, action, next="/moderation/spam?page=2")
    assert response.status_code == 303
    assert response.headers["Location"] == "/moderation/spam?page=2"
    assert status_of(app, comment_id) is end
    assert "Undo" in desk.client.get("/moderation/").get_data(as_text=True)

    assert undo(desk).status_code == 303
    assert status_of(app, comment_id) is start
    assert [event.action.value for event in audit_rows(app)] == [action, "undo"]


@pytest.mark.parametrize("first", [PENDING, APPROVED])
def test_not_spam_and_restore_go_back_where_the_comment_was(app, desk, article, first):
    comment_id = store_comment(app, article, status=first)
    desk.act(comment_id, "spam")
    desk.act(comment_id, "not_spam")
    assert status_of(app, comment_id) is first
    desk.act(comment_id, "trash")
    desk.act(comment_id, "restore")
    assert status_of(app, comment_id) is first


def test_delete_permanently_only_from_the_trash(app, desk, article):
    comment_id = store_comment(app, article, status=PENDING)
    assert desk.act(comment_id, "delete").status_code == 400
    assert status_of(app, comment_id) is PENDING
    desk.act(comment_id, "trash")
    assert desk.act(comment_id, "delete").status_code == 303
    assert status_of(app, comment_id) is None
    assert [event.action.value for event in audit_rows(app)] == ["trash", "delete"]


def test_an_action_that_does_not_fit_the_status_is_refused(app, desk, article):
    comment_id = store_comment(app, article, status=SPAM)
    response = desk.act(comment_id, "approve")
    assert response.status_code == 400
    assert "does not apply to a spam comment" in response.get_data(as_text=True)
    assert status_of(app, comment_id) is SPAM


def test_every_status_change_writes_exactly_one_audit_row(app, desk, article):
    comment_id = store_comment(app, article)
    steps = ["approve", "unapprove", "spam", "not_spam", "trash", "restore", "approve"]
    for number, action in enumerate(steps, start=1):
        desk.act(comment_id, action)
        rows = audit_rows(app)
        assert len(rows) == number
        assert rows[-1].action.value == action
        assert rows[-1].moderator.username == "sam"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModerationEvent)) == len(steps)


# Stale actions


def test_a_stale_action_changes_nothing_and_says_who_did_what(app, desk, second_desk, article):
    comment_id = store_comment(app, article)
    second_desk.act(comment_id, "spam")
    response = desk.act(comment_id, "approve", seen="pending")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "alex marked it as spam" in html
    assert "It is now <strong>spam</strong>" in html
    assert status_of(app, comment_id) is SPAM
    assert len(audit_rows(app)) == 1


def test_undo_leaves_alone_what_someone_changed_since(app, desk, second_desk, article):
    comment_id = store_comment(app, article)
    desk.act(comment_id, "approve")
    second_desk.act(comment_id, "spam")
    undo(desk)
    assert status_of(app, comment_id) is SPAM
    assert "had changed since" in desk.client.get("/moderation/").get_data(as_text=True)


# Bulk


def test_bulk_applies_to_the_selected_and_names_what_it_skipped(app, desk, second_desk, article):
    ids = [store_comment(app, article, body=f"Bulk {number}") for number in range(3)]
    second_desk.act(ids[2], "spam")
    data = {
        "csrf_token": desk.token(),
        "action": "approve",
        "scope": "selected",
        "ids": ids,
        **{f"seen-{comment_id}": "pending" for comment_id in ids},
    }
    assert desk.client.post("/moderation/bulk", data=data).status_code == 303
    html = desk.client.get("/moderation/").get_data(as_text=True)
    assert "2 approved, 1 skipped: already spam by alex" in html
    assert [status_of(app, comment_id) for comment_id in ids] == [APPROVED, APPROVED, SPAM]

    undo(desk)
    assert [status_of(app, comment_id) for comment_id in ids] == [PENDING, PENDING, SPAM]


def test_bulk_can_take_the_whole_page(app, desk, article):
    ids = [store_comment(app, article, body=f"Page {number}") for number in range(4)]
    data = {
        "csrf_token": desk.token(),
        "action": "trash",
        "scope": "page",
        "page_ids": ids,
        **{f"seen-{comment_id}": "pending" for comment_id in ids},
    }
    desk.client.post("/moderation/bulk", data=data)
    assert all(status_of(app, comment_id) is TRASH for comment_id in ids)


# Spam from a sender, edits, staff replies, reports


def test_spam_everything_from_one_email(app, desk, article):
    ids = [
        store_comment(app, article, status=status, email="spammer@example.net")
        for status in (PENDING, APPROVED, TRASH)
    ]
    innocent = store_comment(app, article, email="innocent@example.org", ip_address="192.0.2.99")
    desk.client.post(
        f"/moderation/comments/{ids[0]}/spam-all/email", data={"csrf_token": desk.token()}
    )
    assert [status_of(app, comment_id) for comment_id in ids] == [SPAM, SPAM, SPAM]
    assert status_of(app, innocent) is PENDING
    assert len(audit_rows(app)) == 3


def test_spam_everything_from_one_ip(app, desk, article):
    ids = [
        store_comment(app, article, ip_address="203.0.113.66", email=f"{n}@example.org")
        for n in range(3)
    ]
    desk.client.post(
        f"/moderation/comments/{ids[0]}/spam-all/ip", data={"csrf_token": desk.token()}
    )
    assert all(status_of(app, comment_id) is SPAM for comment_id in ids)


def test_edit_recleans_the_text_and_keeps_the_old_one_for_admins(app, desk, article):
    from app.models import CommentRevision
    from app.models import Moderator

    comment_id = store_comment(app, article, status=APPROVED, body="My phone is 555-0100")
    page = desk.client.get(f"/moderation/comments/{comment_id}/edit")
    assert "My phone is 555-0100" in page.get_data(as_text=True)
    response = desk.client.post(
        f"/moderation/comments/{comment_id}/edit",
        data={"csrf_token": desk.token(), "body": "My phone is [redacted] <script>x</script>"},
    )
    assert response.status_code == 303
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert comment.body_html == "<p>My phone is [redacted] &lt;script&gt;x&lt;/script&gt;</p>"
        [revision] = db.session.scalars(select(CommentRevision)).all()
        assert revision.body_raw == "My phone is 555-0100"
    assert audit_rows(app)[-1].action.value == "edit"
    public = app.test_client().get(f"/articles/{article}").get_data(as_text=True)
    assert "555-0100" not in public

    # Only admins see the earlier text.
    assert "555-0100" not in desk.client.get(f"/moderation/comments/{comment_id}/edit").get_data(
        as_text=True
    )
    with app.app_context():
        db.session.scalar(select(Moderator)).is_admin = True
        db.session.commit()
    assert "555-0100" in desk.client.get(f"/moderation/comments/{comment_id}/edit").get_data(
        as_text=True
    )


def test_an_empty_edit_is_refused(app, desk, article):
    comment_id = store_comment(app, article, body="Keep me")
    response = desk.client.post(
        f"/moderation/comments/{comment_id}/edit", data={"csrf_token": desk.token(), "body": "  "}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Comment, comment_id).body_raw == "Keep me"


def test_approve_and_reply_posts_a_staff_reply(app, desk, article):
    comment_id = store_comment(app, article, body="When does the park open?", name="Curious Reader")
    response = desk.act(comment_id, "reply", body="In the spring, weather permitting.")
    assert response.status_code == 303
    assert status_of(app, comment_id) is APPROVED
    with app.app_context():
        reply = db.session.scalar(select(Comment).where(Comment.parent_id == comment_id))
        assert reply.status is APPROVED
        assert reply.staff_author.username == "sam"
        assert reply.author_name == "The Morning Ledger"
        assert reply.author_email is None
    assert [event.action.value for event in audit_rows(app)] == ["approve", "staff_reply"]
    html = app.test_client().get(f"/articles/{article}").get_data(as_text=True)
    assert "In the spring, weather permitting." in html
    assert '<span class="badge">Staff</span>' in html


def test_reports_reach_the_reported_queue_and_can_be_dismissed(app, desk, article):
    comment_id = store_comment(app, article, status=APPROVED, body="Reported words")
    with app.app_context():
        for reason in (ReportReason.SPAM, ReportReason.SPAM, ReportReason.ABUSE):
            db.session.add(
                CommentReport(comment_id=comment_id, reason=reason, ip_address="192.0.2.1")
            )
        db.session.commit()
    html = desk.client.get("/moderation/reported").get_data(as_text=True)
    assert "Reported words" in html
    assert "reported 2x: spam" in html and "reported 1x: abuse" in html
    assert 'Reported <span class="count">1</span>' in html

    desk.client.post(
        f"/moderation/comments/{comment_id}/dismiss-reports", data={"csrf_token": desk.token()}
    )
    assert "Reported words" not in desk.client.get("/moderation/reported").get_data(as_text=True)
    assert status_of(app, comment_id) is APPROVED
    assert audit_rows(app)[-1].action.value == "dismiss_reports"


def test_acting_on_a_reported_comment_closes_its_reports(app, desk, article):
    comment_id = store_comment(app, article, status=APPROVED)
    with app.app_context():
        db.session.add(CommentReport(comment_id=comment_id, reason=ReportReason.ABUSE))
        db.session.commit()
    desk.act(comment_id, "trash")
    with app.app_context():
        report = db.session.scalar(select(CommentReport))
        assert (report.resolution.value, report.resolved_by_id is not None) == ("acted", True)


def test_keyboard_script_is_served_from_our_own_files(desk, app, article):
    store_comment(app, article)
    html = desk.client.get("/moderation/").get_data(as_text=True)
    assert '<script src="/static/js/desk.js" defer></script>' in html
    assert 'data-shortcut="a"' in html
    script = desk.client.get("/static/js/desk.js")
    assert script.status_code == 200
    script.close()


def test_overview_shows_decisions_and_waiting_time(app, desk, article):
    for number in range(3):
        desk.act(store_comment(app, article, body=f"Decide {number}"), "approve")
    html = desk.client.get("/moderation/overview").get_data(as_text=True)
    assert "3 decisions on pending comments" in html
    assert "<svg" in html and "<rect" in html
    assert "Half of them were made within" in html


def test_status_counts_stay_true_after_every_kind_of_change(app, desk, article):
    from app.moderation.queues import queue_counts
    from app.personal_data import delete_commenter

    ids = [store_comment(app, article, email="count@example.org") for _ in range(4)]
    desk.act(ids[0], "approve")
    desk.act(ids[1], "spam")
    desk.act(ids[2], "trash")
    desk.act(ids[2], "delete")
    with app.app_context():
        delete_commenter("nobody@example.org")
        counts = queue_counts()
        actual = dict(
            db.session.execute(select(Comment.status, func.count()).group_by(Comment.status)).all()
        )
    assert counts["pending"] == actual.get(PENDING, 0) == 1
    assert counts["approved"] == actual.get(APPROVED, 0) == 1
    assert counts["spam"] == actual.get(SPAM, 0) == 1
    assert counts["trash"] == actual.get(TRASH, 0) == 0


def test_the_conflict_page_explains_a_trusted_authors_comment(app, desk, article):
    from app.audit import record

    comment_id = store_comment(app, article, status=APPROVED)
    with app.app_context():
        record(comment_id, None, AuditAction.TRUSTED_APPROVE, PENDING, APPROVED)
        db.session.commit()
    response = desk.act(comment_id, "approve", seen="pending")
    assert response.status_code == 409
    assert "published at once, because its author is trusted" in response.get_data(as_text=True)
