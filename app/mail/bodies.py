"""Message bodies: plain text from templates/mail/, made when the message is queued."""

from flask import current_app


def render_body(template: str, **context) -> str:
    # Straight from the Jinja environment: the page context processors want a request,
    # and `send-mail` makes digests without one. (.txt templates are not HTML-escaped.)
    return current_app.jinja_env.get_template(template).render(
        site_name=current_app.config["SITE_NAME"], **context
    )
