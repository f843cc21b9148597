"""What a person does on the site, as Playwright steps shared by the journeys."""

from playwright.sync_api import Page

from tests.conftest import MODERATOR_PASSWORD

SEND_AGAIN = "Please check your comment and send it again."


def write_comment(
    page: Page,
    body: str,
    website: str = "",
    email: str = "ada@example.org",
    press_again_if_asked: bool = True,
):
    """Fill in the form and send it; without JavaScript the site asks for a second press
    (its first send has no stamp), which a reader then gives."""
    page.get_by_role("textbox", name="Name", exact=True).fill("Ada Reader")
    page.get_by_role("textbox", name="Email", exact=True).fill(email)
    if website:
        page.get_by_role("textbox", name="Website", exact=True).fill(website)
    page.get_by_role("textbox", name="Comment").fill(body)
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    if press_again_if_asked and page.get_by_text(SEND_AGAIN).count():
        page.get_by_role("button", name="Post Comment").click()
        page.wait_for_load_state()


def log_in(page: Page, base_url: str, username: str = "sam", password: str = MODERATOR_PASSWORD):
    page.goto(base_url + "/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def focused_element_id(page: Page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")
