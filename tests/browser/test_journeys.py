"""Journeys through the site in a real browser: commenting, moderating, fixing a failed form."""

import re

import pytest
from playwright.sync_api import expect

from app.models import CommentStatus
from tests.browser.conftest import DEMO_SLUG
from tests.browser.conftest import screenshot
from tests.browser.steps import SEND_AGAIN
from tests.browser.steps import focused_element_id
from tests.browser.steps import log_in
from tests.browser.steps import write_comment
from tests.conftest import add_test_moderator
from tests.conftest import store_comment

pytestmark = pytest.mark.browser

NOT_AN_HTTP_ADDRESS = "ftp://files.example.org/notes"  # the browser accepts it; the site does not


def test_a_comment_waits_for_a_moderator_then_appears_for_everyone(site, visitor_factory):
    add_test_moderator(site.app)
    words = "The coalition needs a clear command structure before any deployment."
    reader = visitor_factory()
    reader.page.goto(site.demo_article)
    write_comment(reader.page, words)

    own_comment = reader.page.locator(".comment", has_text=words)
    expect(own_comment).to_contain_text("Your comment is awaiting moderation.")
    expect(reader.page).to_have_url(site.demo_article + f"#{own_comment.get_attribute('id')}")
    stranger = visitor_factory(width=375)
    stranger.page.goto(site.demo_article)
    expect(stranger.page.get_by_text(words)).to_have_count(0)

    moderator = visitor_factory()
    log_in(moderator.page, site.base_url)
    expect(moderator.page).to_have_url(site.url("/moderation/"))
    queued = moderator.page.locator(".queue-item", has_text=words)
    expect(queued).to_contain_text("ada@example.org")
    queued.get_by_role("button", name="Approve").click()
    expect(moderator.page.locator(".queue-item", has_text=words)).to_have_count(0)

    reader.page.reload()
    published = reader.page.locator(".comment", has_text=words)
    expect(published).to_be_visible()
    expect(published).not_to_contain_text("awaiting moderation")
    expect(reader.page.locator("#comments-title")).to_contain_text("1 comment on")
    stranger.page.reload()
    expect(stranger.page.locator(".comment", has_text=words)).to_be_visible()
    expect(stranger.page.get_by_text("ada@example.org")).to_have_count(0)
    screenshot(stranger.page, "journey-published-comment-375")
    for visitor in (reader, stranger, moderator):
        assert visitor.console_errors == []


def test_with_javascript_one_press_sends_the_comment(site, visitor_factory):
    words = "One press is enough when the page's script fetched the form's stamp."
    reader = visitor_factory()
    reader.page.goto(site.demo_article)
    write_comment(reader.page, words, press_again_if_asked=False)
    expect(reader.page.get_by_text(SEND_AGAIN)).to_have_count(0)
    own_comment = reader.page.locator(".comment", has_text=words)
    expect(own_comment).to_contain_text("Your comment is awaiting moderation.")
    assert reader.console_errors == []


def test_without_javascript_the_second_press_sends_the_comment(site, visitor_factory):
    words = "No script here: the site asks once, and the second press is taken."
    reader = visitor_factory(javascript=False)
    reader.page.goto(site.demo_article)
    write_comment(reader.page, words, press_again_if_asked=False)
    expect(reader.page.get_by_text(SEND_AGAIN)).to_be_visible()
    expect(reader.page.get_by_role("textbox", name="Comment")).to_have_value(words)
    expect(reader.page.get_by_role("textbox", name="Name", exact=True)).to_have_value("Ada Reader")
    screenshot(reader.page, "journey-no-javascript-send-again-375")
    reader.page.get_by_role("button", name="Post Comment").click()
    reader.page.wait_for_load_state()
    own_comment = reader.page.locator(".comment", has_text=words)
    expect(own_comment).to_contain_text("Your comment is awaiting moderation.")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_failed_comment_keeps_the_text_and_puts_the_reader_on_the_errors(
    site, visitor_factory, javascript
):
    words = "A long, careful comment that must not be lost.\n\nIt has two paragraphs."
    reader = visitor_factory(width=375, javascript=javascript)
    reader.page.goto(site.demo_article)
    write_comment(reader.page, words, website=NOT_AN_HTTP_ADDRESS)

    summary = reader.page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("Website: Please give a full web address")
    expect(summary).to_be_in_viewport()
    # Focus is on the summary, so a screen reader reads it first, with JavaScript or without.
    assert focused_element_id(reader.page) == "form-errors"

    expect(reader.page.get_by_role("textbox", name="Comment")).to_have_value(words)
    expect(reader.page.get_by_role("textbox", name="Name", exact=True)).to_have_value("Ada Reader")
    website = reader.page.get_by_role("textbox", name="Website", exact=True)
    expect(website).to_have_value(NOT_AN_HTTP_ADDRESS)
    expect(website).to_have_attribute("aria-invalid", "true")
    expect(website).to_have_accessible_description(
        "Optional: a full address starting with https:// "
        "Please give a full web address starting with http:// or https://."
    )

    # The summary's link leads to the field: with JavaScript into it, without to its place.
    summary.get_by_role("link").click()
    if javascript:
        assert focused_element_id(reader.page) == "website"
    else:
        expect(reader.page).to_have_url(site.url(f"/articles/{DEMO_SLUG}/comments#website"))
    expect(website).to_be_in_viewport()
    screenshot(reader.page, f"journey-failed-form-{'js' if javascript else 'no-js'}-375")

    # Fixing the one field is enough: the comment goes through with the kept text.
    website.fill("https://ada.example")
    reader.page.get_by_role("button", name="Post Comment").click()
    expect(reader.page.locator(".comment", has_text="It has two paragraphs.")).to_contain_text(
        "Your comment is awaiting moderation."
    )


def test_keyboard_focus_is_visible(site, reader):
    reader.page.goto(site.demo_article)
    reader.page.keyboard.press("Tab")
    skip_link = reader.page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    outline = skip_link.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline == "solid"


@pytest.mark.parametrize("path", ["/", "/articles/paris-summit-ukraine-post-war-security"])
def test_pages_fit_a_320_pixel_screen_without_sideways_scrolling(site, visitor_factory, path):
    visitor = visitor_factory(width=320)
    visitor.page.goto(site.url(path))
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 320


def test_dark_mode_follows_the_readers_setting(site, visitor_factory):
    backgrounds = {}
    for scheme in ("light", "dark"):
        visitor = visitor_factory(color_scheme=scheme)
        visitor.page.goto(site.demo_article)
        backgrounds[scheme] = visitor.page.evaluate(
            "getComputedStyle(document.body).backgroundColor"
        )
    assert backgrounds == {"light": "rgb(255, 253, 248)", "dark": "rgb(20, 19, 17)"}


def test_a_printed_article_leaves_out_the_form_and_the_navigation(site, reader):
    reader.page.goto(site.demo_article)
    reader.page.emulate_media(media="print")
    expect(reader.page.locator("#story-title")).to_be_visible()
    expect(reader.page.locator(".comment-respond")).to_be_hidden()
    expect(reader.page.locator(".footer-nav")).to_be_hidden()


def approve(moderator_page, words: str) -> None:
    moderator_page.goto(moderator_page.url.split("/moderation/")[0] + "/moderation/")
    moderator_page.locator(".queue-item", has_text=words).get_by_role(
        "button", name="Approve"
    ).click()
    expect(moderator_page.locator(".queue-item", has_text=words)).to_have_count(0)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_reply_thread_three_deep(site, visitor_factory, javascript):
    add_test_moderator(site.app)
    moderator = visitor_factory()
    log_in(moderator.page, site.base_url)
    levels = ["Level one: the summit matters.", "Level two: it does.", "Level three: agreed."]

    first = visitor_factory(javascript=javascript)
    first.page.goto(site.demo_article)
    write_comment(first.page, levels[0])
    approve(moderator.page, levels[0])

    for depth in (1, 2):
        reader = visitor_factory(javascript=javascript)
        reader.page.goto(site.demo_article)
        answered = reader.page.locator(
            f"li.comment.depth-{depth}", has_text=levels[depth - 1]
        ).first
        answered.get_by_role("link", name="Reply").first.click()
        expect(reader.page.locator("#reply-title")).to_have_text("Reply to Ada Reader")
        expect(reader.page.get_by_role("link", name="Cancel reply")).to_be_visible()
        if javascript:
            # The form opened under the comment, without a page load.
            expect(answered.locator("#respond")).to_have_count(1)
        write_comment(reader.page, levels[depth])
        mine = reader.page.locator(f"li.comment.depth-{depth + 1}", has_text=levels[depth])
        expect(mine).to_contain_text("Your comment is awaiting moderation.")
        approve(moderator.page, levels[depth])

    everyone = visitor_factory(width=375, javascript=javascript)
    everyone.page.goto(site.demo_article)
    deepest = everyone.page.locator("li.comment.depth-3", has_text=levels[2])
    expect(deepest).to_be_visible()
    expect(deepest.locator("xpath=ancestor::li[contains(@class,'depth-1')]")).to_contain_text(
        levels[0]
    )
    expect(deepest.get_by_role("link", name="Reply")).to_have_count(0)
    screenshot(everyone.page, f"journey-thread-three-deep-{'js' if javascript else 'nojs'}-375")


def test_cancel_reply_puts_the_form_back(site, visitor_factory):
    store_comment(site.app, DEMO_SLUG, status=CommentStatus.APPROVED, body="A comment to answer.")
    reader = visitor_factory()
    reader.page.goto(site.demo_article)
    reader.page.get_by_role("link", name="Reply").first.click()
    expect(reader.page.locator("li.comment #respond")).to_have_count(1)
    reader.page.get_by_role("link", name="Cancel reply").click()
    expect(reader.page.locator("li.comment #respond")).to_have_count(0)
    expect(reader.page.locator("#reply-title")).to_have_text("Leave a Reply")
    expect(reader.page.locator("#comment-parent")).to_have_value("")


def press_once_the_desk_listens(page, key: str) -> None:
    """Each action reloads the desk; desk.js (deferred) listens from DOMContentLoaded on.

    A key pressed as soon as the new page's flash shows, before then, goes nowhere: under
    load that lost the "u" of an undo.
    """
    page.wait_for_load_state("domcontentloaded")
    page.keyboard.press(key)


def test_a_moderator_works_the_queue_from_the_keyboard(site, visitor_factory):
    add_test_moderator(site.app)
    for words in ("First in the queue", "Second in the queue"):
        store_comment(site.app, DEMO_SLUG, body=words)
    moderator = visitor_factory()
    log_in(moderator.page, site.base_url)
    page = moderator.page
    expect(page.locator(".queue-item")).to_have_count(2)

    press_once_the_desk_listens(page, "j")
    page.keyboard.press("a")
    expect(page.locator(".flash")).to_contain_text("approved")
    expect(page.locator(".queue-item", has_text="First in the queue")).to_have_count(0)

    press_once_the_desk_listens(page, "u")
    expect(page.locator(".flash")).to_contain_text("Undone")
    expect(page.locator(".queue-item", has_text="First in the queue")).to_have_count(1)

    press_once_the_desk_listens(page, "?")
    expect(page.locator("#shortcut-help")).to_have_attribute("open", "")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("s")
    expect(page.locator(".flash")).to_contain_text("marked as spam")
    expect(page.locator(".queue-item", has_text="Second in the queue")).to_have_count(0)
    assert moderator.console_errors == []


def test_a_moderator_picks_a_comment_and_a_new_reader_sees_it_on_top(site, visitor_factory):
    add_test_moderator(site.app)
    words = "The clearest account of the guarantees I have read anywhere."
    store_comment(site.app, DEMO_SLUG, status=CommentStatus.APPROVED, name="Tom", body="Early.")
    store_comment(
        site.app, DEMO_SLUG, status=CommentStatus.APPROVED, name="Priya", body=words
    )  # fmt: skip
    before = visitor_factory()
    before.page.goto(site.demo_article)
    expect(before.page.locator(".editors-picks")).to_have_count(0)

    moderator = visitor_factory()
    log_in(moderator.page, site.base_url)
    moderator.page.goto(site.demo_article)
    moderator.page.get_by_role("button", name="Pick the comment by Priya").click()
    # Back where the moderator was: the article, at the comment, now marked and unpickable.
    expect(moderator.page).to_have_url(re.compile(re.escape(site.demo_article) + "#comment-"))
    expect(moderator.page.get_by_text("is now an Editors’ pick")).to_be_visible()
    picked = moderator.page.locator(".comment", has_text=words)
    expect(picked).to_contain_text("Editors’ pick")
    expect(picked.get_by_role("button", name="Unpick")).to_be_visible()

    stranger = visitor_factory(width=375)
    stranger.page.goto(site.demo_article)
    top = stranger.page.locator(".editors-picks")
    expect(top).to_contain_text(words)
    expect(stranger.page.get_by_role("button", name="Pick")).to_have_count(0)
    # The picks come before the discussion, and lead to the comment in it.
    assert top.bounding_box()["y"] < stranger.page.locator("#comments").bounding_box()["y"]
    top.get_by_role("link", name="See it in the discussion").click()
    expect(stranger.page).to_have_url(re.compile("#comment-"))
    stranger.page.get_by_role("link", name="Editors’ picks").click()
    expect(stranger.page.locator(".comment-list .comment")).to_have_count(1)
    screenshot(stranger.page, "journey-editors-pick-375")
    for visitor in (before, moderator, stranger):
        assert visitor.console_errors == []
