"""Error pages in the site's own style: a human sentence, never a trace, an email or SQL."""

import logging

from flask import Flask
from flask import render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from app.database import read_only_from_now

logger = logging.getLogger(__name__)
# About a busy timeout: by then the write ahead of the reader's has long finished.
RETRY_AFTER_BUSY_SECONDS = 5

EXPLANATIONS = {
    400: (
        "That request didn’t make sense",
        "Something in what was sent was missing or malformed.",
    ),
    403: ("Not allowed", "You don’t have permission to do that."),
    404: (
        "Page not found",
        "We couldn’t find that page. It may have moved, or the link may be wrong.",
    ),
    405: ("Not allowed", "That page can’t be used that way."),
    409: ("Already changed", "Someone else changed this in the meantime."),
    413: (
        "Too much at once",
        "What you sent is larger than we accept. Please shorten it and try again.",
    ),
    429: (
        "Slow down a little",
        "Too many requests came from you in a short time. Please wait a moment.",
    ),
    500: (
        "Something went wrong on our side",
        "It has been logged for our team. Please try again in a little while.",
    ),
    503: (
        "Busy right now",
        "We’re very busy at the moment. Please try again in a few seconds.",
    ),
}
CSRF_EXPLANATION = (
    "This form expired or was sent without its security token",
    "Please go back, reload the page and send it again.",
)


def render_error(status: int, title: str, message: str):
    return render_template("errors/error.html", title=title, message=message, status=status), status


def http_error(error: HTTPException):
    status = error.code or 500
    title, message = EXPLANATIONS.get(status, (error.name, "That didn’t work."))
    response = render_error(status, title, message)
    if status == 405 and error.valid_methods:
        return (*response, {"Allow": ", ".join(error.valid_methods)})
    return response


def csrf_error(error: CSRFError):
    return render_error(400, *CSRF_EXPLANATION)


def internal_error(error: InternalServerError):
    return render_error(500, *EXPLANATIONS[500])


def database_unavailable(error: OperationalError):
    """The database stayed locked past the busy timeout, or is down: try again, not a 500."""
    logger.warning("Database unavailable, answered 503: %s", error.orig)
    read_only_from_now()
    headers = {"Retry-After": str(RETRY_AFTER_BUSY_SECONDS)}
    return (*render_error(503, *EXPLANATIONS[503]), headers)


def unstorable_input(error: DataError):
    """Input the database refused: a field no form checked, on PostgreSQL. A 400, not a 500.

    Forms refuse such input first (with a message beside the field); this is the safety net.
    """
    # The class only: the database's message may quote the value, an address perhaps.
    logger.warning("The database refused a value (%s), answered 400", type(error.orig).__name__)
    read_only_from_now()
    return render_error(400, *EXPLANATIONS[400])


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(DataError, unstorable_input)
    app.register_error_handler(InternalServerError, internal_error)
    app.register_error_handler(HTTPException, http_error)
