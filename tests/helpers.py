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


def form_stamp_from(html: str) -> str:
    match = re.search(r'<input[^>]*name="stamp"[^>]*>', html)
    assert match, "the page has no form stamp"
    return VALUE_ATTRIBUTE.search(match.group(0)).group(1)


def hidden_fields(html: str) -> dict[str, str]:
    """The comment form's hidden fields a browser sends back: CSRF token and form stamp."""
    return {"csrf_token": csrf_token_from(html), "stamp": form_stamp_from(html)}


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
    """Fetch the article as a browser would, then send the form with its token."""
    page = client.get(article_url(slug), headers=headers)
    data = hidden_fields(page.get_data(as_text=True))
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
