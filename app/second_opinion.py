"""What to ask Akismet, and when: its second opinion, for newsrooms that turn it on with
AKISMET_API_KEY (and SITE_URL).

Each comment a reader sends is checked by Akismet once the request that stored it has
committed, by a background thread of that worker (app/akismet_service/), so the reader
neither waits for Akismet nor fails with it. Its answer becomes a reason on the comment's card
("akismet: spam"); a comment Akismet calls blatant ("discard") goes to the Spam queue, as a
spam-word match does. A moderator's decision that contradicts Akismet's answer is reported
back to it (submit-spam, submit-ham).

This module only notes the work in the session, with what the request knew, and hands it to
the thread after the commit, so a request that rolls back sends nothing. It imports neither
the akismet package nor httpx. Without a key every function here returns at once.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import event

from app.extensions import db
from app.models import AkismetVerdict
from app.models import Comment
from app.models import CommentStatus
from app.models import SpamLabel
from app.urls import absolute_url

# The session's list of work to hand to the background thread once the transaction commits.
JOBS_KEY = "akismet_jobs"
# Where app/akismet_service/ keeps the app's background thread.
WORKER_KEY = "akismet_worker"
# The language of the site's pages (templates/base.html's lang).
SITE_LANGUAGE = "en"
# The Referer header is whatever the browser sent; a long one says no more.
REFERRER_LIMIT = 500


@dataclass(frozen=True)
class Check:
    """Ask Akismet about a new comment: comment-check."""

    comment_id: int
    user_ip: str
    arguments: dict[str, str]


@dataclass(frozen=True)
class Report:
    """Tell Akismet it was wrong about a comment: submit-spam, or submit-ham."""

    comment_id: int
    as_spam: bool
    user_ip: str
    arguments: dict[str, str]


def enabled() -> bool:
    return bool(current_app.config.get("AKISMET_API_KEY"))


def check_after_commit(comment: Comment, referrer: str | None) -> None:
    """A reader's new comment, unless the rules already sent it to spam.

    The referrer is the only thing sent that the site does not store: it travels in the job,
    in this worker's memory, and nowhere else.
    """
    if not enabled() or comment.status is CommentStatus.SPAM or not comment.ip_address:
        return
    arguments = comment_arguments(comment)
    if referrer:
        arguments["referrer"] = referrer[:REFERRER_LIMIT]
    _queue(Check(comment.id, comment.ip_address, arguments))


def report_after_commit(comment: Comment, target: CommentStatus) -> None:
    """A moderator's decision on a comment Akismet checked, if it contradicts Akismet.

    Called before the status changes, with the comment as the moderator found it.
    """
    if not enabled() or comment.akismet_verdict is None or not comment.ip_address:
        return
    as_spam = correction_for(believed_spam(comment.akismet_verdict, comment.akismet_told), target)
    if as_spam is not None:
        _queue(Report(comment.id, as_spam, comment.ip_address, comment_arguments(comment)))


def believed_spam(verdict: AkismetVerdict, told: SpamLabel | None) -> bool:
    """What Akismet thinks of a comment now: its answer, or the last correction it was sent."""
    if told is not None:
        return told is SpamLabel.SPAM
    return verdict is not AkismetVerdict.HAM


def correction_for(akismet_says_spam: bool, target: CommentStatus) -> bool | None:
    """True: report spam it missed; False: report a good comment it called spam; None: nothing.

    Akismet asks only for its mistakes. Pending and trash are no verdict on spam, as for the
    spam filter.
    """
    if target is CommentStatus.SPAM and not akismet_says_spam:
        return True
    if target is CommentStatus.APPROVED and akismet_says_spam:
        return False
    return None


def comment_arguments(comment: Comment) -> dict[str, str]:
    """What Akismet is told about a comment besides the IP address: the same for the check
    and for the reports, as Akismet asks."""
    arguments = {
        "comment_type": "comment",
        "comment_author": comment.author_name,
        "comment_author_email": comment.author_email or "",
        "comment_content": comment.body_raw,
        "comment_date_gmt": comment.created_at.isoformat(),
        "permalink": absolute_url("articles.show", slug=comment.article.slug),
        "comment_post_modified_gmt": comment.article.published_at.isoformat(),
        "blog_lang": SITE_LANGUAGE,
        "blog_charset": "UTF-8",
    }
    if comment.author_website:
        arguments["comment_author_url"] = comment.author_website
    if comment.user_agent:
        arguments["user_agent"] = comment.user_agent
    return arguments


def _queue(job: Check | Report) -> None:
    db.session.info.setdefault(JOBS_KEY, []).append(job)


def _hand_over_after_commit(session) -> None:
    # Releasing a savepoint fires after_commit too, before anything is visible to the thread.
    if session.in_nested_transaction():
        return
    jobs = session.info.pop(JOBS_KEY, None)
    if not jobs:
        return
    worker = current_app.extensions[WORKER_KEY]
    worker.hand_over(jobs)
    if not current_app.config["AKISMET_IN_BACKGROUND"]:
        # However long: each request to Akismet has its own timeout.
        worker.wait_until_idle(timeout=None)


def _forget_after_rollback(session, previous_transaction) -> None:
    # A savepoint rolled back leaves the outer transaction's work queued.
    if previous_transaction.nested:
        return
    session.info.pop(JOBS_KEY, None)


def listen_for_commits() -> None:
    # db.session is shared by every app in the process: listen once, from the first site
    # that asks Akismet (a site without a key queues no work for the listener).
    if not event.contains(db.session, "after_commit", _hand_over_after_commit):
        event.listen(db.session, "after_commit", _hand_over_after_commit)
        event.listen(db.session, "after_soft_rollback", _forget_after_rollback)
