"""The auto-moderation policy in force: settings plus the names of the staff."""

from collections.abc import Mapping
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.automoderation.policy_cache import kept_policy
from app.automoderation.policy_cache import renewed_policy
from app.automoderation.rules import ModerationPolicy
from app.extensions import db
from app.models import BlockedSender
from app.models import BlockKind
from app.models import Moderator
from app.site_settings import current_settings


def policy_from_settings(settings: Mapping[str, Any], staff_usernames=()) -> ModerationPolicy:
    return ModerationPolicy.from_lists(
        hold_link_count=int(settings["HOLD_LINK_COUNT"]),
        hold_words=settings["HOLD_WORDS"],
        spam_words=settings["SPAM_WORDS"],
        spam_ips=settings["SPAM_IPS"],
        spam_emails=settings["SPAM_EMAILS"],
        staff_names=[*settings["STAFF_NAMES"], *staff_usernames],
        spam_filter_hold_at=settings["SPAM_FILTER_HOLD_AT"],
        spam_filter_spam_at=settings["SPAM_FILTER_SPAM_AT"],
    )


def check_settings(settings: Mapping[str, Any]) -> None:
    """Fail at start-up, with the setting named, rather than on a reader's first comment."""
    try:
        policy_from_settings(settings)
    except (TypeError, ValueError) as error:
        raise RuntimeError(
            "The auto-moderation settings (HOLD_LINK_COUNT, HOLD_WORDS, SPAM_WORDS, SPAM_IPS, "
            "SPAM_EMAILS, STAFF_NAMES, SPAM_FILTER_HOLD_AT, SPAM_FILTER_SPAM_AT) are not valid: "
            f"{error}"
        ) from error


def current_policy() -> ModerationPolicy:
    """Configured defaults, overridden by the admin settings page, plus the block list,
    as this worker last read them (at most POLICY_SECONDS ago)."""
    return kept_policy(_load_policy, _settings_key())


def fresh_policy() -> ModerationPolicy:
    """The policy as it stands now: for publishing at once, where seconds matter."""
    return renewed_policy(_load_policy, _settings_key())


def _settings_key() -> tuple:
    return tuple(sorted((name, repr(value)) for name, value in current_settings().items()))


def _load_policy() -> ModerationPolicy:
    settings = {**current_app.config, **current_settings()}
    blocked = db.session.scalars(select(BlockedSender)).all()
    settings["SPAM_IPS"] = [
        *settings["SPAM_IPS"],
        *(entry.value for entry in blocked if entry.kind is BlockKind.IP),
    ]
    settings["SPAM_EMAILS"] = [
        *settings["SPAM_EMAILS"],
        *(entry.value for entry in blocked if entry.kind is BlockKind.EMAIL),
        *(f"@{entry.value}" for entry in blocked if entry.kind is BlockKind.DOMAIN),
    ]
    usernames = db.session.scalars(select(Moderator.username).where(Moderator.active)).all()
    return policy_from_settings(settings, usernames)
