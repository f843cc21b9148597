"""The pages email links open, and the privacy request form: axe finds nothing to fix."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from app.extensions import db
from app.mail.links import sign
from app.models import Comment
from app.models import Moderator
from app.notifications.action_links import moderation_link_url
from app.subscriptions import ensure_address
from tests.browser.conftest import DEMO_SLUG
from tests.browser.conftest import LiveSite
from tests.browser.conftest import screenshot
from tests.conftest import add_test_moderator
from tests.conftest import store_comment

pytestmark = pytest.mark.browser

AXE = Axe()
READER = "ada.reader@example.org"


def signed_path(site: LiveSite, purpose: str, payload: dict, prefix: str) -> str:
    with site.app.app_context():
        return f"{prefix}{sign(purpose, payload)}"


def reader_address_id(site: LiveSite) -> int:
    store_comment(site.app, DEMO_SLUG, email=READER)
    with site.app.app_context():
        address_id = ensure_address(READER).id
        db.session.commit()
        return address_id


def privacy_request_form(site: LiveSite, page: Page) -> None:
    page.goto(site.url("/privacy/requests"))


def privacy_erase_confirmation(site: LiveSite, page: Page) -> None:
    payload = {"r": reader_address_id(site), "a": "erase"}
    page.goto(site.url(signed_path(site, "privacy", payload, "/privacy/requests/")))


def confirm_address(site: LiveSite, page: Page) -> None:
    payload = {"r": reader_address_id(site)}
    page.goto(site.url(signed_path(site, "confirm-address", payload, "/mail/confirm/")))


def unsubscribe(site: LiveSite, page: Page) -> None:
    payload = {"r": reader_address_id(site)}
    page.goto(site.url(signed_path(site, "unsubscribe", payload, "/mail/unsubscribe/")))


def moderation_link(site: LiveSite, page: Page) -> None:
    add_test_moderator(site.app)
    comment_id = store_comment(site.app, DEMO_SLUG, name="Ada Reader", body="Held words.")
    with site.app.test_request_context(base_url=site.base_url):
        url = moderation_link_url(
            db.session.get(Comment, comment_id), "approve", db.session.scalar(db.select(Moderator))
        )
    page.goto(url)


PAGES = {
    "privacy-requests": privacy_request_form,
    "privacy-erase": privacy_erase_confirmation,
    "confirm-address": confirm_address,
    "unsubscribe": unsubscribe,
    "moderation-link": moderation_link,
}


@pytest.mark.parametrize("name", PAGES)
def test_email_page_has_no_axe_violations(site, visitor_factory, name):
    visitor = visitor_factory(width=375)
    PAGES[name](site, visitor.page)
    reports = []
    for color_scheme in ("light", "dark"):
        visitor.page.emulate_media(color_scheme=color_scheme)
        results = AXE.run(visitor.page)
        if results.violations_count:
            reports.append(f"{color_scheme}: {results.generate_report()}")
        screenshot(visitor.page, f"{name}-375{'' if color_scheme == 'light' else '-dark'}")
    assert reports == [], "\n".join(reports)
    assert visitor.console_errors == []
