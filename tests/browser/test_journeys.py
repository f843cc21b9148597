"""Journeys through the site in a real browser: commenting, moderating, fixing a failed form."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_SLUG
from tests.browser.conftest import screenshot
from tests.browser.steps import focused_element_id
from tests.browser.steps import log_in
from tests.browser.steps import write_comment
from tests.conftest import add_test_moderator

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
