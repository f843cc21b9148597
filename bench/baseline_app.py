"""The yardstick: a minimal Flask app that returns a fixed 2 KB HTML page.

Served by the same gunicorn settings as the site, it shows what this machine can do at all
in the same run; every speed in the table is divided by its requests per second.
"""

from flask import Flask

PAGE_BYTES = 2048
_HEAD = "<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>Baseline</title></head>"
_PARAGRAPH = "<p>The quick brown fox jumps over the lazy dog, and files the story by noon.</p>\n"
_TAIL = "</body></html>\n"


def fixed_page(size: int = PAGE_BYTES) -> str:
    body = "<body>\n"
    while len(_HEAD) + len(body) + len(_PARAGRAPH) + len(_TAIL) <= size:
        body += _PARAGRAPH
    padding = size - len(_HEAD) - len(body) - len(_TAIL)
    return _HEAD + body + " " * padding + _TAIL


PAGE = fixed_page()
app = Flask(__name__)


@app.get("/")
def page():
    return PAGE
