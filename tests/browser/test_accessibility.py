"""axe-core finds nothing to fix on the pages readers and moderators use, at phone and desktop
widths, in light and dark mode; each page is also saved as a screenshot for people to look at."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from playwright.sync_api import expect

from app.models import CommentStatus
from app.models import utcnow
from tests.browser.conftest import DEMO_SLUG
from tests.browser.conftest import LiveSite
from tests.browser.conftest import screenshot
from tests.browser.steps import log_in
from tests.browser.steps import write_comment
from tests.conftest import ARTICLE_SOURCE
from tests.conftest import add_test_moderator
from tests.conftest import publish_test_article
from tests.conftest import store_comment

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)
SECOND_STORIES = (
    "Council Approves New Riverside Park",
    "Night Buses Return to the Harbour Line",
    "Library Extends Weekend Opening Hours",
)
AXE = Axe()


def with_approved_comments(site: LiveSite) -> None:
    store_comment(
        site.app, DEMO_SLUG, status=CommentStatus.APPROVED, name="Maria Kovalenko",
        website="https://maria.example", email="maria@example.org",
        body="The table is useful.\n\n> troop pledges are still not settled\n\nThat is the story.",
    )  # fmt: skip
    store_comment(
        site.app, DEMO_SLUG, status=CommentStatus.APPROVED, name="Tom",
        body="Who pays for the deployment? See https://example.org/budget for last year's.",
    )  # fmt: skip


def home_page(site: LiveSite, page: Page) -> None:
    with_approved_comments(site)
    # Older stories, so the page shows the lead story above a grid of cards.
    for day, title in enumerate(SECOND_STORIES, start=1):
        slug = title.lower().replace(" ", "-")
        source = ARTICLE_SOURCE.replace("Council Approves New Riverside Park", title)
        source = source.replace("council-approves-riverside-park", slug)
        publish_test_article(site.app, source.replace("2026-03-02", f"2025-12-{day:02}"))
    page.goto(site.url("/"))


def article_with_comments(site: LiveSite, page: Page) -> None:
    with_approved_comments(site)
    page.goto(site.demo_article)


def article_with_picks(site: LiveSite, page: Page) -> None:
    with_approved_comments(site)
    store_comment(
        site.app, DEMO_SLUG, status=CommentStatus.APPROVED, name="Priya Picked",
        body="The best answer so far: who commands, and under which flag.", picked_at=utcnow(),
    )  # fmt: skip
    page.goto(site.demo_article)
    expect(page.locator(".editors-picks .pick")).to_have_count(1)


def article_with_picks_for_a_moderator(site: LiveSite, page: Page) -> None:
    """The moderator's own page of the article, with Pick and Unpick beside each comment."""
    add_test_moderator(site.app)
    article_with_picks(site, page)
    log_in(page, site.base_url)
    page.goto(site.demo_article + "?order=newest")
    expect(page.get_by_role("button", name="Unpick the comment by Priya Picked")).to_be_visible()


def article_with_a_long_discussion(site: LiveSite, page: Page) -> None:
    """A middle page of many, so the pager skips pages on both sides."""
    site.app.config["COMMENTS_PER_PAGE"] = 2
    for number in range(24):
        store_comment(
            site.app, DEMO_SLUG, status=CommentStatus.APPROVED, name=f"Reader {number}",
            body=f"Comment number {number} on the summit.",
        )  # fmt: skip
    page.goto(site.demo_article + "?page=6#comments")
    expect(page.locator(".comment-pages-gap").first).to_be_attached()


def article_with_failed_form(site: LiveSite, page: Page) -> None:
    with_approved_comments(site)
    page.goto(site.demo_article)
    write_comment(page, "Kept text.", website="ftp://files.example.org")
    expect(page.locator("#form-errors")).to_be_focused()


def article_with_pending_comment(site: LiveSite, page: Page) -> None:
    with_approved_comments(site)
    page.goto(site.demo_article)
    write_comment(page, "My own words, still waiting for a moderator.")
    expect(page.get_by_text("Your comment is awaiting moderation.")).to_be_visible()


def login_page(site: LiveSite, page: Page) -> None:
    page.goto(site.url("/auth/login"))


def login_failed(site: LiveSite, page: Page) -> None:
    log_in(page, site.base_url, username="nobody", password="not the right password")
    expect(page.locator(".form-errors")).to_be_focused()


def moderation_queue(site: LiveSite, page: Page) -> None:
    add_test_moderator(site.app)
    for name in ("Ada Reader", "Ben"):
        store_comment(site.app, DEMO_SLUG, name=name, website="https://ada.example")
    log_in(page, site.base_url)
    expect(page.locator(".queue-item")).to_have_count(2)


def comment_policy(site: LiveSite, page: Page) -> None:
    page.goto(site.url("/comment-policy"))


def privacy_notice(site: LiveSite, page: Page) -> None:
    page.goto(site.url("/privacy"))


def page_not_found(site: LiveSite, page: Page) -> None:
    page.goto(site.url("/articles/no-such-story"))


PAGES = {
    "home": home_page,
    "article": article_with_comments,
    "article-picks": article_with_picks,
    "article-picks-moderator": article_with_picks_for_a_moderator,
    "article-long-discussion": article_with_a_long_discussion,
    "article-failed-form": article_with_failed_form,
    "article-pending-comment": article_with_pending_comment,
    "login": login_page,
    "login-failed": login_failed,
    "moderation-queue": moderation_queue,
    "comment-policy": comment_policy,
    "privacy": privacy_notice,
    "not-found": page_not_found,
}
# A page answered with an error status logs that status in the console, by design.
EXPECTED_STATUS_ERRORS = {"article-failed-form": 400, "login-failed": 400, "not-found": 404}


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations_at_any_width_in_either_colour_scheme(
    site, visitor_factory, name
):
    visitor = visitor_factory(width=WIDTHS[0])
    PAGES[name](site, visitor.page)
    reports = []
    for color_scheme in ("light", "dark"):
        visitor.page.emulate_media(color_scheme=color_scheme)
        for width in WIDTHS:
            visitor.page.set_viewport_size({"width": width, "height": 900})
            results = AXE.run(visitor.page)
            if results.violations_count:
                reports.append(f"{color_scheme}, {width} px: {results.generate_report()}")
            suffix = "" if color_scheme == "light" else "-dark"
            screenshot(visitor.page, f"{name}-{width}{suffix}")
    assert reports == [], "\n".join(reports)

    expected = EXPECTED_STATUS_ERRORS.get(name)
    unexpected = [
        message
        for message in visitor.console_errors
        if not (expected and f"status of {expected}" in message)
    ]
    assert unexpected == []  # CSP refusals and script errors land here
