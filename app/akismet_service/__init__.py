"""Talking to Akismet: the background thread of each worker (worker.py) and the akismet
package it uses (client.py, loaded with the first job). What to ask and when is decided in
app/second_opinion.py."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from app import second_opinion
from app.config import SettingError


def check_settings(config: Mapping[str, Any]) -> None:
    """Fail at start-up, naming the setting, rather than with the first comment."""
    if not config.get("AKISMET_API_KEY"):
        return
    if not config.get("SITE_URL"):
        raise SettingError(
            "AKISMET_API_KEY is set but SITE_URL is not: Akismet needs the site's public "
            "address with every comment, and the checks run outside any request."
        )
    parts = urlsplit(config["AKISMET_API_URL"])
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path not in {"", "/"}:
        raise SettingError(
            f"AKISMET_API_URL={config['AKISMET_API_URL']!r} must be a scheme and host only, "
            "like 'https://rest.akismet.com'."
        )


def register(app: Flask) -> None:
    check_settings(app.config)
    if not app.config.get("AKISMET_API_KEY"):
        return
    # Here, not at the top: a site without a key never loads the thread's module.
    from app.akismet_service.worker import akismet_worker

    akismet_worker(app)
    second_opinion.listen_for_commits()
