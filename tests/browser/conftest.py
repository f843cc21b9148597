"""Real-browser tests: the site served over HTTP on 127.0.0.1, driven in Debian's Chromium.

Playwright drives the system's /usr/bin/chromium (never `playwright install`, which downloads a
browser of its own). The browser resolves no host but 127.0.0.1, so it cannot reach the network.
Without Chromium these tests skip, saying how to install it (in CI, where .ci/run installs it,
they fail instead); everything else they need is in requirements-dev.txt.
"""

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser
from playwright.sync_api import ConsoleMessage
from playwright.sync_api import Page
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import PROJECT_ROOT

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
SCREENSHOTS = PROJECT_ROOT / "browser-screenshots"
DEMO_SLUG = "paris-summit-ukraine-post-war-security"

pytestmark = pytest.mark.browser


@dataclass
class LiveSite:
    app: Flask
    base_url: str

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def demo_article(self) -> str:
        return self.url(f"/articles/{DEMO_SLUG}")


@dataclass
class Visitor:
    """One browser profile (its own cookies) on one tab, with what its console reported."""

    page: Page
    console_errors: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        reason = (
            f"no Chromium at {CHROMIUM}: install it (apt-get install chromium) or set "
            "CHROMIUM_PATH to run the real-browser tests"
        )
        # .ci/run installs Chromium, so in CI its absence is a broken set-up, not a choice.
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[OFFLINE])
        yield launched
        launched.close()


@pytest.fixture
def site(make_app) -> Iterator[LiveSite]:
    """The app on a real threaded HTTP server, on its own migrated database with the demo."""
    app = make_app()
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # A short poll interval, so shutting the server down takes milliseconds, not half a second.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield LiveSite(app, f"http://127.0.0.1:{server.port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def visitor_factory(browser: Browser):
    """Open a fresh browser profile: new_visitor(width=..., javascript=..., color_scheme=...)."""
    contexts = []

    def new_visitor(
        width: int = 1280, javascript: bool = True, color_scheme: str = "light"
    ) -> Visitor:
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
            color_scheme=color_scheme,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        visitor = Visitor(context.new_page())
        visitor.page.on("console", visitor.record)
        visitor.page.on("pageerror", lambda error: visitor.console_errors.append(str(error)))
        return visitor

    yield new_visitor
    for context in contexts:
        context.close()


@pytest.fixture
def reader(visitor_factory) -> Visitor:
    return visitor_factory()


def screenshot(page: Page, name: str) -> Path:
    """A full-page picture in browser-screenshots/ (not committed), for people to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
