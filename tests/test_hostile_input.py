"""Hostile comment bodies go through the real form, get approved, and must come out inert."""

from pathlib import Path

import pytest

from app.models import Comment
from app.sanitize import COMMENT_TAGS
from tests.helpers import article_url
from tests.helpers import elements_with_class
from tests.helpers import parse_html
from tests.helpers import post_comment

HOSTILE_BODIES = [
    body.strip("\n")
    for body in (Path(__file__).parent / "data" / "hostile_comment_bodies.txt")
    .read_text(encoding="utf-8")
    .split("\n%%\n")
]
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


def browser_view_of_url(value: str) -> str:
    """What a browser takes the URL to be: outer spaces and controls gone, tabs and newlines out."""
    stripped = value.strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f "
        "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"
    )
    return stripped.replace("\t", "").replace("\n", "").replace("\r", "").lower()


def our_own_scripts(document):
    """The page's own scripts: in <head>, a file from /static/js/ or a JSON-LD data block."""
    for element in document.find("head"):
        if element.tag != "script":
            continue
        is_data = element.get("type") == "application/ld+json"
        is_our_file = element.get("src", "").startswith("/static/js/")
        if is_data or (is_our_file and not (element.text or "").strip()):
            yield element


def problems_in(html: str) -> list[str]:
    """Everything on the page that could run script, style the page or send the reader away."""
    document = parse_html(html)
    problems = []
    ours = set(our_own_scripts(document))
    for element in document.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if element in ours:
            continue
        if tag in {
            "script",
            "style",
            "iframe",
            "object",
            "embed",
            "svg",
            "math",
            "base",
            "template",
        }:
            problems.append(f"<{tag}> element")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                problems.append(f"{name} handler on <{tag}>")
            if name in URL_ATTRIBUTES and browser_view_of_url(value).startswith(DANGEROUS_SCHEMES):
                problems.append(f"{name}={value!r} on <{tag}>")
            if name == "style":
                problems.append(f"style attribute on <{tag}>")
    for body in elements_with_class(document, "comment-body"):
        for element in body.iter():
            if element is not body and element.tag not in COMMENT_TAGS:
                problems.append(f"<{element.tag}> inside a comment")
            if element.tag == "a" and set(element.attrib) - {"href", "title", "rel"}:
                problems.append(f"link attributes {sorted(element.attrib)} inside a comment")
    return problems


def test_the_corpus_is_big_enough():
    assert len(HOSTILE_BODIES) >= 50


def test_hostile_bodies_come_out_inert_on_the_article_page(app, client, desk, article):
    for body in HOSTILE_BODIES:
        response = post_comment(client, article, body=body)
        assert response.status_code == 303, body

    with app.app_context():
        ids = [comment.id for comment in Comment.query.all()]
    assert len(ids) == len(HOSTILE_BODIES)
    for comment_id in ids:
        assert desk.act(comment_id, "approve").status_code == 303

    page = app.test_client().get(article_url(article))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"{len(HOSTILE_BODIES)} comments on" in html
    assert problems_in(html) == []


def test_hostile_bodies_come_out_inert_in_the_moderation_queue(client, desk, article):
    for body in HOSTILE_BODIES:
        post_comment(client, article, body=body)
    page = desk.client.get("/moderation/")
    assert page.status_code == 200
    assert problems_in(page.get_data(as_text=True)) == []


@pytest.mark.parametrize(
    "name",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "\u202eevil\u202c"],
)
def test_hostile_names_are_shown_as_text(app, client, desk, article, name):
    post_comment(client, article, name=name, body="Ordinary words.")
    with app.app_context():
        comment_id = Comment.query.one().id
    desk.act(comment_id, "approve")
    for html in (
        app.test_client().get(article_url(article)).get_data(as_text=True),
        desk.client.get("/moderation/").get_data(as_text=True),
    ):
        assert problems_in(html) == []
