"""URLs holding what no database can store are refused at the door, with a 400 that says so.

PostgreSQL refuses NUL in text, which would otherwise turn a slug or a search into a 500.
(Werkzeug already decodes broken UTF-8 to U+FFFD, so no lone surrogate gets this far.)
Forms check their own fields, with the message beside the field and the reader's text kept;
this covers the URL: paths and query strings.
"""

from flask import Flask
from flask import request

from app.errors import render_error

TITLE = "That address can’t be read"
MESSAGE = "It contains an invisible control character. Please check the link and try again."


def is_unstorable(value: str) -> bool:
    return "\x00" in value


def refuse_unstorable_urls():
    values = [request.path]
    for name, all_values in request.args.lists():
        values += [name, *all_values]
    if any(is_unstorable(value) for value in values):
        return render_error(400, TITLE, MESSAGE)
    return None


def register(app: Flask) -> None:
    app.before_request(refuse_unstorable_urls)
