"""Moving comments in from WordPress, Disqus and our JSON Lines, and out again."""

import os
import re
import shutil
from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import func
from sqlalchemy import select

from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentMode
from app.models import CommentStatus
from app.models import ImportExportRun
from app.models import ModerationEvent
from app.models import OutgoingMessage
from app.porting.nesting import reattachments
from app.porting.preparation import Preparer
from app.sanitize import clean_comment
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import parse_html
from tests.test_privacy import crawl

DATA = os.path.join(os.path.dirname(__file__), "data")
WORDPRESS = os.path.join(DATA, "wordpress-1.2.xml")
WORDPRESS_1_0 = os.path.join(DATA, "wordpress-1.0.xml")
DISQUS = os.path.join(DATA, "disqus.xml")
JSON_LINES = os.path.join(DATA, "comments.jsonl")
RIVERSIDE = "council-approves-riverside-park"
# Every address in the fixture files, to look for on public pages.
FIXTURE_EMAILS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def import_comments(runner, path, *options):
    return runner.invoke(args=["import-comments", str(path), *options])


def comments_by_source_id(app) -> dict[str, Comment]:
    with app.app_context():
        comments = db.session.scalars(select(Comment).where(Comment.source.is_not(None))).all()
        db.session.expunge_all()
        return {comment.source_id: comment for comment in comments}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# WordPress


def test_wordpress_comments_keep_their_fields_statuses_and_dates(make_app):
    app = make_app(TIMEZONE="Europe/Paris")
    publish_test_article(app)
    result = import_comments(app.test_cli_runner(), WORDPRESS)
    assert result.exit_code == 0, result.output

    comments = comments_by_source_id(app)
    assert len(comments) == 11
    first = comments["10:1"]
    assert first.author_name == "Ada & Co"
    assert first.author_email == "ada@example.org"  # trimmed, as the form stores it
    assert first.author_website == "https://ada.example.org/"
    assert first.ip_address == "203.0.113.7"  # from ::ffff:203.0.113.7
    assert first.created_at == datetime(2026, 3, 2, 10, 15, tzinfo=UTC)
    assert first.body_html == clean_comment(first.body_raw)
    assert "<em>word</em>" in first.body_html
    assert {source_id: comment.status for source_id, comment in comments.items()} == {
        "10:1": CommentStatus.APPROVED,
        "10:2": CommentStatus.APPROVED,
        "10:3": CommentStatus.APPROVED,
        "10:4": CommentStatus.PENDING,
        "10:5": CommentStatus.SPAM,
        "10:6": CommentStatus.TRASH,
        "10:7": CommentStatus.TRASH,  # post-trashed
        "10:9": CommentStatus.APPROVED,
        "10:10": CommentStatus.APPROVED,
        "11:1": CommentStatus.APPROVED,
        "11:2": CommentStatus.APPROVED,
    }
    # No email is stored empty; no GMT date falls back to local time in the site's zone.
    quiet = comments["10:10"]
    assert quiet.author_email == ""
    assert quiet.created_at == datetime(2026, 3, 4, 8, 30, tzinfo=UTC)
    assert comments["10:2"].author_website is None  # "http://" is no address
    assert comments["10:2"].ip_address == "2001:db8::2"

    summary = result.output
    assert "approved: 7" in summary and "trash: 2" in summary
    assert "pingback, not a reader's comment: 1" in summary
    assert "on a page (add --pages to import those): 1" in summary
    assert "no matching article, and the post is a draft: 1" in summary
    assert "no GMT date: local time read in Europe/Paris: 1" in summary
    assert f"{RIVERSIDE}: 9" in summary


def test_replies_keep_their_nesting_even_when_parents_come_later(app, runner, article):
    import_comments(runner, WORDPRESS)
    comments = comments_by_source_id(app)
    ids = {source_id: comment.id for source_id, comment in comments.items()}
    assert comments["10:2"].parent_id == ids["10:1"]
    # 10:3 came before its parent 10:2 in the file.
    assert comments["10:3"].parent_id == ids["10:2"]
    # Ids repeat across posts: keyed by (post, id), each reply finds its own parent.
    assert comments["11:2"].parent_id == ids["11:1"]
    assert comments["11:1"].article_id != comments["10:1"].article_id


@pytest.mark.parametrize("batch_size", ["500", "2"])
def test_replies_in_a_loop_of_parents_are_stored_as_threads(
    app, runner, article, tmp_path, batch_size
):
    with open(WORDPRESS, encoding="utf-8") as text:
        # 10:1 now answers 10:2, which answers 10:1.
        looped = text.read().replace(
            "<wp:comment_parent>0</wp:comment_parent>",
            "<wp:comment_parent>2</wp:comment_parent>",
            1,
        )
    path = tmp_path / "looped.xml"
    path.write_text(looped, encoding="utf-8")
    result = import_comments(runner, path, "--batch-size", batch_size)
    assert result.exit_code == 0, result.output
    assert "replies in a loop of parents, shown as threads" in result.output
    comments = comments_by_source_id(app)
    assert len(comments) == 11
    assert comments["10:3"].parent_id == comments["10:2"].id
    # Some comment of the loop starts a thread: no comment is its own ancestor.
    parents = {comment.id: comment.parent_id for comment in comments.values()}
    for comment_id in parents:
        seen = set()
        while comment_id is not None:
            assert comment_id not in seen
            seen.add(comment_id)
            comment_id = parents.get(comment_id)


def test_replies_deeper_than_the_limit_sit_at_the_deepest_level(app, runner, article):
    result = import_comments(runner, WORDPRESS)
    comments = comments_by_source_id(app)
    # 10:4 answered 10:3, a fourth level; the site shows three, so it answers 10:2.
    assert comments["10:4"].parent_id == comments["10:2"].id
    assert "replies nested deeper than 3 levels, attached at level 3: 1" in result.output


def test_a_post_with_no_matching_article_becomes_one_cleaned_by_the_article_sanitiser(
    app, runner, article
):
    result = import_comments(runner, WORDPRESS)
    assert "Articles created: budget-and-the-bridge" in result.output
    with app.app_context():
        created = db.session.scalar(select(Article).where(Article.slug == "budget-and-the-bridge"))
        assert created.title == "Budget & the bridge"
        assert created.byline == "Metro Desk"
        assert created.comment_mode is CommentMode.CLOSED
        assert created.published_at == datetime(2025, 11, 20, 7, tzinfo=UTC)
        assert "<script" not in created.body_html
        assert "<strong>Really.</strong>" in created.body_html
        # Nothing was made of the page or the draft.
        assert db.session.scalar(select(func.count()).select_from(Article)) == 2


def test_pages_are_imported_when_asked(app, runner, article):
    result = import_comments(runner, WORDPRESS, "--pages")
    assert "about" in result.output
    assert "10:1" in comments_by_source_id(app)
    assert "12:1" in comments_by_source_id(app)


def test_wxr_1_0_is_read_too(app, runner, article):
    result = import_comments(runner, WORDPRESS_1_0)
    assert result.exit_code == 0, result.output
    comments = comments_by_source_id(app)
    assert set(comments) == {"7:70", "7:71"}
    # Placed by the last segment of its link, its post_name being empty.
    with app.app_context():
        riverside = db.session.scalar(select(Article.id).where(Article.slug == RIVERSIDE))
    assert comments["7:70"].article_id == riverside
    assert comments["7:71"].parent_id == comments["7:70"].id
    assert comments["7:71"].status is CommentStatus.PENDING


def test_comments_only_creates_no_article_and_names_what_found_none(app, runner, article):
    result = import_comments(runner, WORDPRESS, "--comments-only")
    assert result.exit_code == 0, result.output
    assert count(app, Article) == 1
    # The second post's two comments, and the draft's one.
    assert "no matching article (--comments-only): 3" in result.output
    assert "https://old.example.com/2025/11/budget-and-the-bridge/" in result.output


def test_a_map_file_places_a_post_on_the_article_it_names(app, runner, article, tmp_path):
    other = publish_test_article(
        app,
        "---\ntitle: Bridge\nslug: the-bridge-story\nbyline: Desk\n"
        "published: 2026-01-01T00:00:00Z\n---\nText.\n",
    )
    mapping = tmp_path / "map.csv"
    # Without the trailing slash the export's link has: the same page.
    mapping.write_text(
        "old address,slug\nhttps://old.example.com/2025/11/budget-and-the-bridge,the-bridge-story\n"
    )
    result = import_comments(runner, WORDPRESS, "--map", str(mapping))
    assert result.exit_code == 0, result.output
    assert f"{other}: 2" in result.output
    assert count(app, Article) == 2


# Safety


def test_hostile_content_comes_out_as_safe_as_a_readers_comment(app, runner, article):
    result = import_comments(runner, WORDPRESS)
    hostile = comments_by_source_id(app)["10:9"]
    assert hostile.body_html == clean_comment(hostile.body_raw)
    # What the browser builds: the markup shows as text, nothing runs.
    elements = list(parse_html(hostile.body_html).iter())
    assert {element.tag for element in elements} <= {"html", "head", "body", "p", "a"}
    for element in elements:
        assert not [name for name in element.attrib if name.startswith("on")]
        assert not element.get("href", "").startswith("javascript")
    assert "&lt;script&gt;" in hostile.body_html
    assert hostile.author_website is None  # javascript:alert(3)
    assert len(hostile.author_name) == 100
    assert "name cut to 100 characters: 1" in result.output
    assert "website left out (not an http(s) address): 2" in result.output
    page = app.test_client().get(article_url(article)).get_data(as_text=True)
    assert "click me" in page
    assert "<script>alert" not in page
    assert "javascript:" not in page


def test_comments_cleaned_by_workers_are_stored_as_cleaned_here(make_app, monkeypatch):
    # Every batch goes to the workers, however small.
    monkeypatch.setattr(Preparer, "SMALLEST_SHARED_BATCH", 1)
    stored = {}
    outputs = {}
    for workers in ("0", "2"):
        site = make_app()
        publish_test_article(site)
        result = import_comments(
            site.test_cli_runner(), WORDPRESS, "--workers", workers, "--batch-size", "3"
        )
        assert result.exit_code == 0, result.output
        # The summary, without the log's timestamped lines.
        outputs[workers] = [line for line in result.output.splitlines() if line[:2] != "20"]
        comments = comments_by_source_id(site)
        ids = {comment.id: source_id for source_id, comment in comments.items()}
        stored[workers] = {
            source_id: (
                comment.body_html,
                comment.body_fingerprint,
                comment.author_name,
                comment.author_email,
                comment.author_website,
                comment.ip_address,
                comment.status,
                ids.get(comment.parent_id),
            )
            for source_id, comment in comments.items()
        }
    assert len(stored["2"]) == 11
    assert stored["2"] == stored["0"]
    assert outputs["2"] == outputs["0"]
    assert stored["2"]["10:9"][0] == clean_comment(comments_by_source_id(site)["10:9"].body_raw)


def test_nothing_already_in_the_site_is_changed(app, runner, article):
    existing = [
        store_comment(app, article, status=CommentStatus.APPROVED, email="ada@example.org"),
        store_comment(app, article, status=CommentStatus.PENDING, body="Held for now."),
    ]

    def snapshot():
        with app.app_context():
            rows = db.session.execute(
                select(Comment.__table__).where(Comment.id.in_(existing))
            ).all()
            story = db.session.execute(
                select(Article.title, Article.body_html, Article.comment_mode).where(
                    Article.slug == article
                )
            ).one()
            return [tuple(row) for row in rows], tuple(story)

    before = snapshot()
    for path in (WORDPRESS, DISQUS, JSON_LINES):
        assert import_comments(runner, path).exit_code == 0
    assert snapshot() == before


def test_imported_comments_notify_nobody_and_are_held_by_no_rule(app, runner, article):
    import_comments(runner, DISQUS)
    assert count(app, OutgoingMessage) == 0
    for comment in comments_by_source_id(app).values():
        assert comment.moderation_reasons == []


def test_no_public_page_shows_an_imported_email(app, runner, article):
    for path in (WORDPRESS, DISQUS, JSON_LINES):
        import_comments(runner, path)
    emails = set()
    for path in (WORDPRESS, DISQUS, JSON_LINES):
        with open(path, encoding="utf-8") as text:
            emails |= set(FIXTURE_EMAILS.findall(text.read()))
    assert "lou@example.org" in emails
    pages = crawl(app.test_client())
    assert article_url("harbour-reopens") in pages
    for url, response in pages.items():
        text = response.get_data().decode("utf-8", errors="replace").lower()
        assert not [email for email in emails if email.lower() in text], url


def test_kept_pages_are_retired_when_comments_arrive(app, runner, article):
    client = app.test_client()
    assert "The first comment" not in client.get(article_url(article)).get_data(as_text=True)
    import_comments(runner, WORDPRESS)
    assert "The first comment" in client.get(article_url(article)).get_data(as_text=True)


# Idempotency, dry runs and errors


def test_importing_the_same_file_twice_adds_nothing(app, runner, article):
    import_comments(runner, WORDPRESS)
    before = count(app, Comment)
    result = import_comments(runner, WORDPRESS)
    assert result.exit_code == 0
    assert count(app, Comment) == before
    assert "Imported 0 comments" in result.output
    assert "already imported: 11" in result.output


def test_a_newer_export_adds_only_what_is_new(app, runner, article, tmp_path):
    import_comments(runner, WORDPRESS)
    with open(WORDPRESS, encoding="utf-8") as text:
        newer = text.read().replace(
            "<wp:comment_id>10</wp:comment_id>", "<wp:comment_id>20</wp:comment_id>", 1
        )
    path = tmp_path / "newer.xml"
    path.write_text(newer, encoding="utf-8")
    result = import_comments(runner, path)
    assert "Imported 1 comments" in result.output
    assert "10:20" in comments_by_source_id(app)


def test_a_dry_run_prints_the_summary_and_writes_nothing(app, runner, article):
    tables = (Comment, Article, ImportExportRun, ModerationEvent)
    before = [count(app, table) for table in tables]
    result = import_comments(runner, WORDPRESS, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would import 11 comments" in result.output
    assert "1 would be created" in result.output
    assert "Dry run: nothing was written." in result.output
    assert [count(app, table) for table in tables] == before


@pytest.mark.parametrize("workers", ["0", "2"])
def test_a_run_stopped_by_an_error_keeps_its_batches_and_a_rerun_continues(
    app, runner, article, tmp_path, workers, monkeypatch
):
    monkeypatch.setattr(Preparer, "SMALLEST_SHARED_BATCH", 1)
    with open(WORDPRESS, encoding="utf-8") as text:
        whole = text.read()
    broken = tmp_path / "export.xml"
    # Cut off after the second post: the XML ends in the middle of the file.
    broken.write_text(whole[: whole.index("<!-- A page")], encoding="utf-8")

    stopped = import_comments(runner, broken, "--batch-size", "2", "--workers", workers)
    assert stopped.exit_code == 1
    assert "stopped near byte" in stopped.output
    assert "the XML is broken at line" in stopped.output
    assert "Imported 10 comments" in stopped.output  # five batches; the sixth was not written
    assert len(comments_by_source_id(app)) == 10

    shutil.copy(WORDPRESS, broken)
    resumed = import_comments(runner, broken, "--batch-size", "2", "--workers", workers)
    assert resumed.exit_code == 0, resumed.output
    assert "Imported 1 comments" in resumed.output
    comments = comments_by_source_id(app)
    assert len(comments) == 11
    # The rerun finished what the stopped run never reached: the depth limit.
    assert comments["10:4"].parent_id == comments["10:2"].id
    with app.app_context():
        outcomes = db.session.scalars(
            select(ImportExportRun.outcome).order_by(ImportExportRun.id)
        ).all()
    assert outcomes == ["stopped", "finished"]


def test_each_run_is_one_audit_entry(app, runner, article):
    import_comments(runner, WORDPRESS)
    with app.app_context():
        events = db.session.scalars(select(ModerationEvent)).all()
    assert [(event.action.value, event.comment_id) for event in events] == [("import", None)]
    assert "wordpress-1.2.xml: 11 imported, 3 skipped" in events[0].reason


def test_the_format_is_told_from_the_file_or_given(app, runner, article, tmp_path):
    unknown = tmp_path / "notes.txt"
    unknown.write_text("just some notes")
    result = import_comments(runner, unknown)
    assert result.exit_code == 1
    assert "name its format with --format" in result.output
    result = import_comments(runner, DISQUS, "--format", "disqus")
    assert result.exit_code == 0, result.output


# Disqus


def test_disqus_posts_keep_statuses_and_replies_and_skip_what_has_no_thread(app, runner, article):
    result = import_comments(runner, DISQUS)
    assert result.exit_code == 0, result.output
    comments = comments_by_source_id(app)
    assert set(comments) == {"5001", "5002", "5003", "5004", "5005", "5008"}
    assert comments["5002"].parent_id == comments["5001"].id  # its parent came later
    assert comments["5003"].author_email == ""  # a guest without an address
    assert comments["5003"].author_name == "Guest Ivy"
    assert comments["5004"].status is CommentStatus.SPAM
    assert comments["5005"].status is CommentStatus.TRASH
    assert comments["5001"].created_at == datetime(2026, 3, 2, 10, tzinfo=UTC)
    assert comments["5008"].ip_address == "192.0.2.58"
    assert "onmouseover" not in comments["5008"].body_html
    assert "javascript:" not in comments["5008"].body_html
    # Both threads of the one page (an empty <id>, a repeated <id>) land on the article.
    assert {comment.article_id for comment in comments.values()} == {comments["5001"].article_id}
    assert f"{NOT_IN_FILE_TEXT}: 1" in result.output
    assert "no matching article: 1" in result.output
    assert "https://old.example.com/2020/01/a-story-we-never-moved/" in result.output


NOT_IN_FILE_TEXT = "its post or thread is not in the file"


def test_a_map_file_places_a_disqus_thread(app, runner, article, tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_text(f"story-7,{article}\n")
    result = import_comments(runner, DISQUS, "--map", str(mapping))
    assert "5007" in comments_by_source_id(app), result.output


# JSON Lines


def test_json_lines_import_creates_articles_and_keeps_everything(app, runner):
    result = import_comments(runner, JSON_LINES)
    assert result.exit_code == 0, result.output
    comments = comments_by_source_id(app)
    assert comments["42"].parent_id == comments["41"].id
    assert comments["43"].parent_id == comments["42"].id
    assert comments["41"].body_raw == "Finally!\r\nGood news."
    assert comments["41"].user_agent == "Mozilla/5.0 (X11; Linux x86_64)"
    assert comments["45"].author_email is None  # erased before the export stays erased
    assert comments["44"].status is CommentStatus.SPAM
    with app.app_context():
        harbour = db.session.scalar(select(Article).where(Article.slug == "harbour-reopens"))
        assert harbour.comment_mode is CommentMode.HELD
        assert "<em>reopened</em>" in harbour.body_html


# Export


def test_an_export_is_readable_by_its_owner_only(app, runner, article, tmp_path):
    store_comment(app, article)
    target = tmp_path / "comments.xml"
    target.write_text("an older file anyone could read")
    target.chmod(0o644)
    result = runner.invoke(args=["export-comments", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert "keep it private" in result.output
    assert target.stat().st_mode & 0o777 == 0o600
    assert "stored.reader@example.org" in target.read_text()
    json_target = tmp_path / "comments.jsonl"
    runner.invoke(args=["export-comments", "--format", "json", "--output", str(json_target)])
    assert json_target.stat().st_mode & 0o777 == 0o600


def fill_a_site(app, runner) -> None:
    """Every status, replies, a user agent, line breaks, an erased email, a held article."""
    publish_test_article(app)
    for path in (WORDPRESS, DISQUS, JSON_LINES):
        assert import_comments(runner, path).exit_code == 0
    store_comment(
        app,
        RIVERSIDE,
        status=CommentStatus.APPROVED,
        name="Reader <b>& friends</b>",
        body="Typed in a browser,\r\nwith CRLF and ]]> and <em>markup</em>.",
        user_agent="Mozilla/5.0 (Test)",
        website="https://reader.example/?a=1&b=2",
        created_at=datetime(2026, 3, 5, 12, 0, 0, 123456, tzinfo=UTC),
    )


def site_contents(app, whole_seconds: bool, email_none_as_empty: bool) -> dict:
    """Every field of every comment, by article slug, replies named by their parent's text."""
    with app.app_context():
        articles = {
            article.slug: (
                article.title,
                article.byline,
                article.published_at,
                article.comment_mode,
            )
            for article in db.session.scalars(select(Article))
        }
        comments = db.session.scalars(select(Comment)).all()
        by_id = {comment.id: comment for comment in comments}

        def key(comment):
            created = comment.created_at
            if whole_seconds:
                created = created.replace(microsecond=0)
            return (comment.article.slug, created, comment.body_raw)

        rows = set()
        for comment in comments:
            email = comment.author_email
            if email_none_as_empty and email is None:
                email = ""
            rows.add(
                (
                    *key(comment),
                    comment.author_name,
                    email,
                    comment.author_website,
                    comment.ip_address,
                    comment.user_agent,
                    comment.body_html,
                    comment.status,
                    key(by_id[comment.parent_id]) if comment.parent_id else None,
                )
            )
        return {"articles": articles, "comments": rows}


@pytest.mark.parametrize(
    ("file_format", "whole_seconds", "email_none_as_empty"),
    [
        # WXR dates have whole seconds, and an erased email is an empty one there.
        ("wordpress", True, True),
        ("json", False, False),
    ],
)
def test_an_export_imports_into_a_fresh_site_as_the_same_comments(
    make_app, tmp_path, file_format, whole_seconds, email_none_as_empty
):
    site = make_app()
    fill_a_site(site, site.test_cli_runner())
    export = tmp_path / f"export.{file_format}"
    result = site.test_cli_runner().invoke(
        args=["export-comments", "--format", file_format, "--output", str(export)]
    )
    assert result.exit_code == 0, result.output

    fresh = make_app()
    result = import_comments(fresh.test_cli_runner(), export)
    assert result.exit_code == 0, result.output
    assert "Skipped 0 comments" in result.output

    expected = site_contents(site, whole_seconds, email_none_as_empty)
    assert len(expected["comments"]) == count(site, Comment) == count(fresh, Comment)
    assert site_contents(fresh, whole_seconds, email_none_as_empty) == expected


# Admin page


def test_the_admin_page_lists_the_last_runs(app, admin, runner, article, tmp_path):
    import_comments(runner, WORDPRESS)
    runner.invoke(args=["export-comments", "--output", str(tmp_path / "out.xml")])
    page = admin.client.get("/admin/import-export")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "wordpress-1.2.xml" in text
    assert "approved 7" in text
    assert "pingback, not a reader&#39;s comment: 1" in text
    assert "budget-and-the-bridge" in text
    assert "out.xml" in text
    assert "ada@example.org" not in text
    assert 'href="/admin/import-export"' in admin.client.get("/admin/").get_data(as_text=True)
    assert "—" in admin.client.get("/admin/audit").get_data(as_text=True)


def test_moderators_and_strangers_cannot_see_the_import_page(app, desk):
    assert desk.client.get("/admin/import-export").status_code == 403
    assert app.test_client().get("/admin/import-export").status_code in (302, 303)


# Nesting, without a database


@pytest.mark.parametrize(
    ("parents", "depth", "moves", "loops"),
    [
        ({1: None, 2: 1, 3: 2}, 3, {}, set()),
        ({1: None, 2: 1, 3: 2, 4: 3, 5: 4}, 3, {4: 2, 5: 2}, set()),
        ({1: None, 2: 1, 3: 2}, 2, {3: 1}, set()),
        # A reply whose parent is not there starts a thread of its own.
        ({2: 99, 3: 2, 4: 3, 5: 4}, 3, {5: 3}, set()),
        # A loop is cut at one comment, which then starts the thread.
        ({1: 2, 2: 1, 3: 1, 4: 3, 5: 4}, 3, {5: 3}, {1}),
    ],
)
def test_reattachments(parents, depth, moves, loops):
    assert reattachments(parents, depth) == (moves, loops)
