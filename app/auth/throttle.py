"""Slowing down password guessing by counting recent failures in the database.

Two limits, both checked before a password is even hashed: one per (username, IP) pair,
which locks that pair out for a while, and a wider one per IP for stuffing many names.
Nobody can lock a moderator out from elsewhere: a pair's failures only block that pair.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete
from sqlalchemy import select

from app.extensions import db
from app.models import LoginFailure
from app.models import utcnow

USERNAME_LIMIT = 80


def seconds_locked_out(username: str, ip_address: str) -> int | None:
    """How long this attempt must wait, or None if it may go ahead."""
    config = current_app.config
    if not config["RATELIMIT_ENABLED"]:
        return None
    window = timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"])
    now = utcnow()
    pair = (
        LoginFailure.username == username[:USERNAME_LIMIT],
        LoginFailure.ip_address == ip_address,
    )
    waits = []
    for conditions, limit in (
        (pair, config["LOGIN_FAILURES_PER_ACCOUNT"]),
        ((LoginFailure.ip_address == ip_address,), config["LOGIN_FAILURES_PER_IP"]),
    ):
        limit_reached_at = db.session.scalar(
            select(LoginFailure.created_at)
            .where(*conditions, LoginFailure.created_at > now - window)
            .order_by(LoginFailure.created_at.desc())
            .offset(limit - 1)
            .limit(1)
        )
        if limit_reached_at is not None:
            waits.append((limit_reached_at + window - now).total_seconds())
    return max(1, int(max(waits)) + 1) if waits else None


def record_failure(username: str, ip_address: str) -> None:
    db.session.add(LoginFailure(username=username[:USERNAME_LIMIT], ip_address=ip_address))


def clear_failures(username: str, ip_address: str) -> None:
    db.session.execute(
        delete(LoginFailure).where(
            LoginFailure.username == username[:USERNAME_LIMIT],
            LoginFailure.ip_address == ip_address,
        )
    )


def prune_failures(older_than: timedelta = timedelta(days=1)) -> int:
    result = db.session.execute(
        delete(LoginFailure).where(LoginFailure.created_at < utcnow() - older_than)
    )
    return result.rowcount
