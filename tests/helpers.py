"""What tests do over and over: read a page's CSRF token, post a comment, parse a page."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from xml.etree.ElementTree import Element

import html5lib
from sqlalchemy import event

from app.extensions import db

CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE_ATTRIBUTE = re.compile(r'value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "the page has no CSRF token"
    return VALUE_ATTRIBUTE.search(match.group(0)).group(1)


STAMP_URL = "/comments/form-stamp"


def form_stamp_from(html: str) -> str:
    """The stamp in a comment form shown again after a send; "" in the public page."""
    match = re.search(r'<input[^>]*name="stamp"[^>]*>', html)
    assert match, "the page has no form stamp field"
    value = VALUE_ATTRIBUTE.search(match.group(0))
    return value.group(1) if value else ""


def stamp_for(client) -> str:
    """What static/js/comment-stamp.js asks for when the reader first focuses the form."""
    answer = client.get(STAMP_URL)
    assert answer.status_code == 200, answer.status_code
    return answer.get_json()["stamp"]


def hidden_fields(html: str, client=None) -> dict[str, str]:
    """The comment form's hidden field a browser sends back: the stamp the form holds (a
    form shown again), else one the page's script fetched for it with this client."""
    stamp = form_stamp_from(html)
    if not stamp:
        assert client is not None, "the public page holds no stamp: pass the client to ask"
        stamp = stamp_for(client)
    return {"stamp": stamp}


def article_url(slug: str) -> str:
    return f"/articles/{slug}"


def comment_form(**overrides: str) -> dict[str, str]:
    fields = {
        "name": "Ada Reader",
        "email": "ada.reader@example.org",
        "website": "",
        "body": "A thoughtful comment about the summit.",
    }
    fields.update(overrides)
    return fields


def post_comment(client, slug: str, headers: dict | None = None, **overrides: str):
    """Fetch the article as a browser would, then send the form with its stamp."""
    page = client.get(article_url(slug), headers=headers)
    data = hidden_fields(page.get_data(as_text=True), client)
    data.update(comment_form(**overrides))
    return client.post(f"/articles/{slug}/comments", data=data, headers=headers)


def client_at(app, ip_address: str):
    """A browser whose requests come from `ip_address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip_address
    return client


def parse_html(html: str) -> Element:
    """Parse the way browsers do (the HTML5 algorithm), to see what a browser would build."""
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def elements_with_class(root: Element, class_name: str) -> Iterator[Element]:
    for element in root.iter():
        if class_name in (element.get("class") or "").split():
            yield element


def text_of(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


@contextmanager
def counted_statements(app) -> Iterator[list[str]]:
    """Every SQL statement the app runs inside the block (SQLAlchemy's cursor events)."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(connection, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
