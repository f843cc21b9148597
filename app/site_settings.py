"""Settings admins change on the settings page, stored in the database.

Each falls back to its configured default (app/config.py, instance/config.py, environment)
until an admin sets it, so a fresh site behaves exactly as configured.
"""

from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask import g
from sqlalchemy import select

from app.database import reading_connection
from app.extensions import db
from app.models import Moderator
from app.models import SiteSetting

# The settings the admin page may change, with the type each value must have.
EDITABLE: Mapping[str, type] = {
    "COMMENTS_ENABLED": bool,
    "COMMENTS_CLOSE_AFTER_DAYS": int,
    "HOLD_LINK_COUNT": int,
    "HOLD_WORDS": list,
    "SPAM_WORDS": list,
    "TRUSTED_AUTHORS_AUTO_APPROVE": bool,
}


# Built once: every comment POST and most pages read the settings.
_STORED_SETTINGS = select(SiteSetting.key, SiteSetting.value)


def current_settings() -> dict[str, Any]:
    """Every editable setting as it stands now: stored value, else the configured default.

    Read once per request (several parts of a request ask). Only what a kept page shows may
    be older, by up to a second (settings_for_pages in app/articles/views.py).
    """
    if "site_settings" not in g:
        with reading_connection() as connection:
            stored = dict(connection.execute(_STORED_SETTINGS).all())
        g.site_settings = {name: stored.get(name, current_app.config[name]) for name in EDITABLE}
    return g.site_settings


def change_setting(name: str, value: Any, moderator: Moderator) -> None:
    expected = EDITABLE[name]
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise TypeError(f"{name} must be a {expected.__name__}")
    row = db.session.get(SiteSetting, name)
    if row is None:
        row = SiteSetting(key=name)
        db.session.add(row)
    row.value = value
    row.updated_by_id = moderator.id
    db.session.flush()
    g.pop("site_settings", None)
