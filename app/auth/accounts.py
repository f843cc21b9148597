"""Moderator accounts: creating them and checking their passwords."""

import secrets
from functools import cache

from sqlalchemy import select
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from app.automoderation.policy_cache import forget_policy
from app.extensions import db
from app.extensions import login_manager
from app.models import PASSWORD_HASH_METHOD
from app.models import Moderator
from app.validators import has_control_characters

MINIMUM_PASSWORD_LENGTH = 12
USERNAME_LIMIT = 80


class AccountError(ValueError):
    """The account cannot be created or changed as asked; the message says why."""


def moderator_named(username: str) -> Moderator | None:
    return db.session.scalar(select(Moderator).where(Moderator.username == username))


def check_password_strength(password: str) -> None:
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        raise AccountError(
            f"The password must be at least {MINIMUM_PASSWORD_LENGTH} characters long."
        )


def create_moderator(username: str, password: str, is_admin: bool = False) -> Moderator:
    username = username.strip()
    if not username:
        raise AccountError("A moderator needs a username.")
    if len(username) > USERNAME_LIMIT:
        raise AccountError(f"A username can have at most {USERNAME_LIMIT} characters.")
    if has_control_characters(username):
        raise AccountError("A username cannot contain control characters.")
    if moderator_named(username):
        raise AccountError(f"A moderator named {username!r} already exists.")
    check_password_strength(password)
    moderator = Moderator(username=username, is_admin=is_admin)
    moderator.set_password(password)
    db.session.add(moderator)
    db.session.flush()
    forget_policy()  # a new name that commenters must not imitate
    return moderator


def reset_password(username: str, password: str) -> Moderator:
    """A new password ends every session of that moderator, wherever it is."""
    moderator = moderator_named(username.strip())
    if moderator is None:
        raise AccountError(f"There is no moderator named {username!r}.")
    give_new_password(moderator, password)
    return moderator


def give_new_password(moderator: Moderator, password: str) -> None:
    check_password_strength(password)
    moderator.set_password(password)
    db.session.flush()


def disable_moderator(moderator: Moderator) -> None:
    """No more logins, and every session it has ends now, wherever it is."""
    moderator.active = False
    moderator.end_all_sessions()
    db.session.flush()
    forget_policy()  # its name is no longer staff's


def enable_moderator(moderator: Moderator) -> None:
    moderator.active = True
    db.session.flush()
    forget_policy()  # a name that commenters must not imitate again


@cache
def _unused_hash() -> str:
    """Checked when no such user exists, so a wrong username costs as long as a wrong password."""
    return generate_password_hash(secrets.token_hex(16), method=PASSWORD_HASH_METHOD)


def authenticate(username: str, password: str) -> Moderator | None:
    moderator = moderator_named(username.strip())
    if moderator is None:
        check_password_hash(_unused_hash(), password)
        return None
    if not moderator.check_password(password) or not moderator.is_active:
        return None
    if moderator.password_needs_rehash():
        moderator.rehash_password(password)
    return moderator


@login_manager.user_loader
def load_moderator(login_id: str) -> Moderator | None:
    """The session's "id:version" names a moderator only while that version is current."""
    moderator_id, _, version = login_id.partition(":")
    if not (moderator_id.isdigit() and version.isdigit()):
        return None
    moderator = db.session.get(Moderator, int(moderator_id))
    if moderator is None or not moderator.is_active:
        return None
    return moderator if moderator.session_version == int(version) else None
