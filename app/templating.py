"""Jinja helpers: dates in the site's timezone, and the site's name on every page."""

from datetime import datetime

from flask import Flask
from flask import current_app
from flask import request

from app.security import STAFF_BLUEPRINTS

# The site writes English dates whatever the server's locale ("%B" would follow it), and a
# look-up costs far less than strftime in the comments of every page.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def local_time(moment: datetime):
    return moment.astimezone(current_app.config["SITE_TIMEZONE"])


def format_date(moment: datetime) -> str:
    return _date_in_words(local_time(moment))


def format_datetime(moment: datetime) -> str:
    local = local_time(moment)
    hour = local.hour % 12 or 12
    meridiem = "am" if local.hour < 12 else "pm"
    return f"{_date_in_words(local)} at {hour}:{local.minute:02d} {meridiem}"


def _date_in_words(local: datetime) -> str:
    return f"{MONTHS[local.month - 1]} {local.day}, {local.year}"


def time_ago(moment: datetime) -> str:
    seconds = max(0, int((datetime.now(moment.tzinfo) - moment).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


def iso_datetime(moment: datetime) -> str:
    return local_time(moment).isoformat(timespec="minutes")


def field_attributes(
    form_field, has_hint: bool, required: bool, multiline: bool, extra: dict | None = None
) -> dict:
    """The ARIA wiring of a form field: its hint and its errors, read out with it."""
    described_by = []
    if has_hint:
        described_by.append(f"{form_field.id}-hint")
    if form_field.errors:
        described_by.append(f"{form_field.id}-error")
    attributes: dict = {}
    if described_by:
        attributes["aria-describedby"] = " ".join(described_by)
    if form_field.errors:
        attributes["aria-invalid"] = "true"
    if required:
        attributes["required"] = True
    if multiline:
        attributes.update(rows=8, cols=45)
    attributes.update(extra or {})
    return attributes


def register(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.add_template_global(field_attributes)
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(iso_datetime, "isodatetime")
    app.add_template_filter(time_ago, "ago")

    @app.context_processor
    def site_details():
        return {
            "site_name": app.config["SITE_NAME"],
            "is_staff_page": request.blueprint in STAFF_BLUEPRINTS,
            "site_description": app.config["SITE_DESCRIPTION"],
        }
