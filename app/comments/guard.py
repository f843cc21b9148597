"""Refusals: a comment that is not stored at all, and the reader is told why.

The other outcome, holding a comment for a moderator, is app/automoderation/rules.py's job.
Refused here: forms sent back too fast (software) or too late (expired), floods from one
address or one email, and the same words said twice on the same article.
"""

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature
from itsdangerous import TimestampSigner
from sqlalchemy import and_
from sqlalchemy import bindparam
from sqlalchemy import case
from sqlalchemy import or_
from sqlalchemy import select

from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import fingerprint_of
from app.models import utcnow

STAMP_SALT = "comment-form-stamp"
TOO_FAST = "That was quick! Please check your comment, then send it again."
EXPIRED = "This form expired, please send it again. Your text is kept below."
# A form sent without its stamp: the reader's browser ran no JavaScript (the page is the same
# for everyone, so the stamp is asked for separately), or the sender never showed the form.
SEND_AGAIN = "Please check your comment and send it again."
DUPLICATE = "It looks as though you’ve already said that."
FLOODED = "You’ve sent a lot of comments in a short time. Please wait a little and try again."


def clock() -> float:
    """Seconds since the epoch; tests replace it to move time."""
    return time.time()


class _StampSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(clock())


@dataclass(frozen=True)
class Refusal:
    message: str
    status: int = 400
    retry_after: int | None = None


def _signer() -> _StampSigner:
    return _StampSigner(current_app.config["SECRET_KEY"], salt=STAMP_SALT)


def new_form_stamp() -> str:
    """A signed, random id with the time the form was shown; no database write."""
    return _signer().sign(secrets.token_urlsafe(16)).decode()


def form_stamp_age(stamp: str | None) -> float | None:
    """Seconds since the form was shown, or None if the stamp is missing or forged."""
    if not stamp:
        return None
    try:
        _, signed_at = _signer().unsign(stamp, return_timestamp=True)
    except BadSignature:
        return None
    return clock() - signed_at.timestamp()


def form_submission_id(stamp: str | None) -> str | None:
    """The random id the form was given when it was shown, the same for every send of it.

    Stored with the comment (unique), so a double click or a retried POST finds the comment
    the first send made. None if the stamp is missing or forged.
    """
    if not stamp:
        return None
    try:
        return _signer().unsign(stamp).decode()
    except BadSignature:
        return None


def valid_or_new_stamp(stamp: str | None) -> str:
    """Keep a re-shown form's stamp (its id and first-shown time) while it is still valid."""
    age = form_stamp_age(stamp)
    if age is None or age > current_app.config["WTF_CSRF_TIME_LIMIT"]:
        return new_form_stamp()
    return stamp


def _limit_th_most_recent(column, value: str, since: str, limit: str):
    """When the limit-th most recent comment in the window was sent (None: under the limit)."""
    return (
        select(Comment.created_at)
        .where(column == bindparam(value), Comment.created_at > bindparam(since))
        .order_by(Comment.created_at.desc())
        .offset(bindparam(limit) - 1)
        .limit(1)
        .scalar_subquery()
    )


# The four counts (per minute and per day, by IP and by email) in one statement, built once:
# composing them cost more than running them, on every POST.
_FLOOD_WINDOWS = select(
    _limit_th_most_recent(Comment.ip_address, "ip_address", "minute_ago", "per_minute"),
    _limit_th_most_recent(Comment.ip_address, "ip_address", "day_ago", "per_day"),
    _limit_th_most_recent(Comment.author_email, "email", "minute_ago", "per_minute"),
    _limit_th_most_recent(Comment.author_email, "email", "day_ago", "per_day"),
)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


def flood_refusal(ip_address: str | None, email: str) -> Refusal | None:
    """Count recent comments in the database, so the limit holds across workers and machines."""
    config = current_app.config
    now = utcnow()
    oldest_counted = db.session.execute(
        _FLOOD_WINDOWS,
        {
            # A missing address or email matches no comment.
            "ip_address": ip_address or None,
            "email": email or None,
            "minute_ago": now - MINUTE,
            "day_ago": now - DAY,
            "per_minute": config["COMMENTS_PER_MINUTE"],
            "per_day": config["COMMENTS_PER_DAY"],
        },
    ).one()
    # The wait ends when the limit-th most recent comment leaves its window.
    waits = [
        (sent + window - now).total_seconds()
        for sent, window in zip(oldest_counted, (MINUTE, DAY, MINUTE, DAY), strict=True)
        if sent is not None
    ]
    if not waits:
        return None
    return Refusal(FLOODED, status=429, retry_after=max(1, int(max(waits)) + 1))


@dataclass(frozen=True)
class EarlierSends:
    """What the comments already stored say about this send."""

    # The comment an earlier send of this very form stored (a double click, a retried POST).
    resent_comment_id: int | None
    # The same words from the same email or IP on this article: "you already said that".
    already_said: bool


# Built once, with named parameters: composing a statement like this costs several times
# what SQLite takes to run it, on every POST.
_THIS_FORM = Comment.submission_id == bindparam("submission_id")
_EARLIER_SENDS = (
    select(Comment.id, Comment.submission_id)
    .where(
        or_(
            _THIS_FORM,
            and_(
                Comment.article_id == bindparam("article_id"),
                Comment.body_fingerprint == bindparam("fingerprint"),
                Comment.body_raw == bindparam("body"),
                # The same person: their email, or their IP (none matches a missing one).
                or_(
                    Comment.author_email == bindparam("email"),
                    Comment.ip_address == bindparam("ip_address"),
                ),
            ),
        )
    )
    # This form's own comment first: a resend is answered, never refused.
    .order_by(case((_THIS_FORM, 0), else_=1))
    .limit(1)
)


def earlier_sends(
    article: Article, body: str, email: str, ip_address: str | None, submission_id: str | None
) -> EarlierSends:
    """Both questions in one statement, through the unique submission id and the (article,
    fingerprint) index: only identical comments are read, however prolific the sender."""
    earlier = db.session.execute(
        _EARLIER_SENDS,
        {
            "submission_id": submission_id,
            "article_id": article.id,
            "fingerprint": fingerprint_of(body),
            "body": body,
            "email": email,
            "ip_address": ip_address or None,
        },
    ).first()
    if earlier is None:
        return EarlierSends(resent_comment_id=None, already_said=False)
    if submission_id and earlier.submission_id == submission_id:
        return EarlierSends(resent_comment_id=earlier.id, already_said=False)
    return EarlierSends(resent_comment_id=None, already_said=True)


def refusal_for(
    already_said: bool, email: str, ip_address: str | None, stamp: str | None
) -> Refusal | None:
    """The first reason to refuse this comment, or None to accept it."""
    config = current_app.config
    age = form_stamp_age(stamp)
    if age is None:
        return Refusal(SEND_AGAIN)
    if age > config["WTF_CSRF_TIME_LIMIT"]:
        return Refusal(EXPIRED)
    if config["RATELIMIT_ENABLED"]:
        if age < config["COMMENT_MIN_SECONDS"]:
            return Refusal(TOO_FAST)
        flooded = flood_refusal(ip_address, email)
        if flooded:
            return flooded
    return Refusal(DUPLICATE) if already_said else None
