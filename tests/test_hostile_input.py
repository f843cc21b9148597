"""Hostile bodies, names and websites go through the real form and must come out inert.

Each is posted as a reader would post it. Refused input (400) re-shows the form with what was
typed; accepted input is approved by a moderator. Every page that shows it, the article and
the moderation queue, is then parsed as a browser parses HTML and searched for anything that
could run script, load something, style the page or send a reader somewhere dangerous.
"""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Comment
from app.sanitize import COMMENT_TAGS
from tests.conftest import ModeratorSession
from tests.conftest import add_test_moderator
from tests.conftest import publish_test_article
from tests.helpers import article_url
from tests.helpers import elements_with_class
from tests.helpers import parse_html
from tests.helpers import post_comment

CORPUS = json.loads((Path(__file__).parent / "data" / "hostile_inputs.json").read_text())
URL_ATTRIBUTES = {
    "href", "src", "srcset", "action", "formaction", "data", "poster",
    "background", "cite", "content",
}  # fmt: skip
DANGEROUS_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg",
    "math", "base", "template", "meta", "link", "img", "video", "audio", "source", "portal",
}  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "file:")
# Ours: the stylesheet link and the viewport/charset meta in <head>.
OUR_HEAD_ELEMENTS = {"link", "meta"}


def browser_view_of_url(value: str) -> str:
    """The URL as a browser reads it: outer spaces and controls gone, tabs and newlines out."""
    stripped = value.strip("".join(chr(code) for code in range(33)))
    return "".join(ch for ch in stripped if ch not in "\t\n\r").lower()


def local_name(name: str) -> str:
    """Drop the namespace html5lib puts on SVG and MathML names ("{...svg}script")."""
    return name.rsplit("}", 1)[-1]


def is_our_script(element) -> bool:
    """In <head>: a file from our own static folder, or a JSON-LD block (data, never run)."""
    if element.get("type") == "application/ld+json":
        return True
    return element.get("src", "").startswith("/static/js/") and not (element.text or "").strip()


def problems_in(html: str) -> list[str]:
    """Everything on the page that could run script, style it or send the reader away."""
    document = parse_html(html)
    head = document.find("head")
    ours = set(head.iter()) if head is not None else set()
    problems = []
    for element in document.iter():
        tag = local_name(element.tag) if isinstance(element.tag, str) else ""
        if tag == "script" and element in ours and is_our_script(element):
            continue
        if tag in DANGEROUS_ELEMENTS and not (tag in OUR_HEAD_ELEMENTS and element in ours):
            problems.append(f"<{tag}> element")
        for name, value in element.attrib.items():
            name = local_name(name).lower()
            if name.startswith("on"):
                problems.append(f"{name} handler on <{tag}>")
            if name in URL_ATTRIBUTES and browser_view_of_url(value).startswith(DANGEROUS_SCHEMES):
                problems.append(f"{name}={value!r} on <{tag}>")
            if name in {"style", "formaction", "srcdoc"}:
                problems.append(f"{name} attribute on <{tag}>")
    for body in elements_with_class(document, "comment-body"):
        for element in body.iter():
            if element is not body and local_name(element.tag) not in COMMENT_TAGS:
                problems.append(f"<{element.tag}> inside a comment")
            if element.tag == "a" and set(element.attrib) - {"href", "title", "rel"}:
                problems.append(f"link attributes {sorted(element.attrib)} inside a comment")
    return problems


@pytest.fixture
def open_site(make_app):
    """A site with flood limits off, so hundreds of hostile comments can be sent in a row."""
    app = make_app(RATELIMIT_ENABLED=False, MODERATION_PAGE_SIZE=1000)
    slug = publish_test_article(app)
    add_test_moderator(app)
    desk = ModeratorSession(app.test_client())
    desk.log_in()
    return app, slug, desk


def send_all(app, slug, field: str, values: list[str]) -> None:
    reader = app.test_client()
    for number, value in enumerate(values):
        fields = {"body": f"Comment number {number}.", field: value}
        response = post_comment(reader, slug, **fields)
        assert response.status_code in (303, 400), (value, response.status_code)
        if response.status_code == 400:
            assert problems_in(response.get_data(as_text=True)) == [], value


def approve_everything_and_check_every_page(app, slug, desk) -> int:
    queue = desk.client.get("/moderation/").get_data(as_text=True)
    assert problems_in(queue) == []
    with app.app_context():
        ids = db.session.scalars(select(Comment.id)).all()
    for comment_id in ids:
        assert desk.act(comment_id, "approve").status_code == 303
    page = app.test_client().get(article_url(slug))
    assert page.status_code == 200
    assert problems_in(page.get_data(as_text=True)) == []
    return len(ids)


def test_the_corpus_is_big_enough():
    assert len(CORPUS["bodies"]) >= 150
    assert len(CORPUS["bodies"]) + len(CORPUS["names"]) + len(CORPUS["websites"]) >= 300


def test_hostile_bodies_come_out_inert(open_site):
    app, slug, desk = open_site
    send_all(app, slug, "body", CORPUS["bodies"])
    stored = approve_everything_and_check_every_page(app, slug, desk)
    # Only bodies with control characters are refused; the rest are shown, as text.
    assert stored >= len(CORPUS["bodies"]) - 10


def test_hostile_names_come_out_inert(open_site):
    app, slug, desk = open_site
    send_all(app, slug, "name", CORPUS["names"])
    assert approve_everything_and_check_every_page(app, slug, desk) >= 25


def test_hostile_websites_are_refused_or_inert(open_site):
    app, slug, desk = open_site
    send_all(app, slug, "website", CORPUS["websites"])
    approve_everything_and_check_every_page(app, slug, desk)
    with app.app_context():
        kept = db.session.scalars(select(Comment.author_website)).all()
    assert all(website.lower().startswith(("http://", "https://")) for website in kept)


def test_script_tags_are_shown_as_the_text_the_reader_typed(open_site):
    app, slug, desk = open_site
    post_comment(app.test_client(), slug, body="<script>alert(1)</script> is how it starts")
    approve_everything_and_check_every_page(app, slug, desk)
    html = app.test_client().get(article_url(slug)).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is how it starts" in html
