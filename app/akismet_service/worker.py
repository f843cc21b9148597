"""The thread that talks to Akismet for a worker, after the requests that queued the work.

A failure (Akismet unreachable, slow, answering 500, refusing the key) is logged and
changes nothing: the comment waits in the queue as it would without Akismet, and a report
not sent is not tried again. Work still queued when the worker stops is lost the same way.
The log names comment ids and the kind of failure, never the key or what was sent.
"""

import logging
import threading
from collections import deque
from contextlib import suppress

from flask import Flask
from sqlalchemy import update

from app.database import writes_in_background
from app.extensions import db
from app.models import AkismetVerdict
from app.models import AuditAction
from app.models import Comment
from app.models import CommentStatus
from app.models import SpamLabel
from app.second_opinion import WORKER_KEY
from app.second_opinion import Check
from app.second_opinion import Report
from app.second_opinion import believed_spam
from app.status_changes import StaleAction
from app.status_changes import change_status
from app.worker_threads import WorkerThread

logger = logging.getLogger(__name__)
# A flood while Akismet is slow must not fill the worker's memory: past this, new work is
# dropped (and logged), as if Akismet had failed.
MOST_JOBS_WAITING = 1000
REASON_CODES = {AkismetVerdict.SPAM: "akismet:spam", AkismetVerdict.DISCARD: "akismet:discard"}


class AkismetWorker(WorkerThread):
    """One thread per worker process, started when work arrives and ended when it is done."""

    name = "akismet"

    def __init__(self, app: Flask):
        super().__init__()
        self.app = app
        self.jobs: deque[Check | Report] = deque()

    def hand_over(self, jobs: list[Check | Report]) -> None:
        with self.lock:
            room = MOST_JOBS_WAITING - len(self.jobs)
            if len(jobs) > room:
                logger.warning("Akismet: %d jobs dropped, too many waiting", len(jobs) - room)
            self.jobs.extend(jobs[: max(room, 0)])
            if self.thread is None:
                self.start(self._run)

    def _next_job(self) -> Check | Report | None:
        with self.lock:
            if self.jobs:
                return self.jobs.popleft()
            self.thread = None
            return None

    def _run(self) -> None:
        try:
            self._work()
        except Exception as error:  # noqa: BLE001  (the thread must not die silently)
            with self.lock:
                dropped = len(self.jobs)
                self.jobs.clear()
                # Unless it had finished its work and another thread has started since.
                if self.thread is threading.current_thread():
                    self.thread = None
            logger.error(
                "Akismet: the thread stopped (%s), %d jobs dropped", type(error).__name__, dropped
            )

    def _work(self) -> None:
        # Here, not at the top: akismet and httpx load with a worker's first job.
        from app.akismet_service.client import AkismetFailed
        from app.akismet_service.client import AkismetService

        with AkismetService(self.app.config) as service:
            while (job := self._next_job()) is not None:
                with self.app.app_context():
                    writes_in_background()
                    try:
                        carry_out(job, service)
                    except AkismetFailed as failure:
                        logger.warning(
                            "Akismet: %s of comment %d failed (%s); nothing changed",
                            describe_job(job),
                            job.comment_id,
                            failure.kind,
                        )
                    except Exception as error:  # noqa: BLE001  (the thread must not die silently)
                        # The type only: a database error's text can quote an address.
                        logger.error(
                            "Akismet: %s of comment %d failed: %s",
                            describe_job(job),
                            job.comment_id,
                            type(error).__name__,
                        )
                    finally:
                        db.session.remove()


def akismet_worker(app: Flask) -> AkismetWorker:
    return app.extensions.setdefault(WORKER_KEY, AkismetWorker(app))


def describe_job(job: Check | Report) -> str:
    if isinstance(job, Check):
        return "comment-check"
    return "submit-spam" if job.as_spam else "submit-ham"


def carry_out(job: Check | Report, service) -> None:
    if isinstance(job, Check):
        record_verdict(job.comment_id, service.check(job.user_ip, job.arguments))
    else:
        report(job, service)


def record_verdict(comment_id: int, verdict: AkismetVerdict) -> None:
    """Akismet's answer on the comment; spam becomes a reason on its card, and blatant spam
    still pending goes to the Spam queue (a moderator who decided first keeps the decision)."""
    comment = db.session.get(Comment, comment_id)
    # Deleted, or its commenter erased, while Akismet was asked: nothing of theirs is kept.
    if comment is None or comment.author_email is None:
        return
    comment.akismet_verdict = verdict
    if verdict in REASON_CODES:
        comment.moderation_reasons = [*comment.moderation_reasons, REASON_CODES[verdict]]
    db.session.flush()
    if verdict is AkismetVerdict.DISCARD and comment.status is CommentStatus.PENDING:
        # StaleAction: a moderator decided first, and their decision stands.
        with suppress(StaleAction):
            change_status(
                comment,
                CommentStatus.PENDING,
                CommentStatus.SPAM,
                None,
                AuditAction.AKISMET_SPAM,
                remembered=CommentStatus.PENDING,
            )
    db.session.commit()


def report(job: Report, service) -> None:
    """Send the correction unless Akismet already believes it (an earlier report said so)."""
    comment = db.session.get(Comment, job.comment_id)
    if comment is None or comment.akismet_verdict is None:
        return
    if believed_spam(comment.akismet_verdict, comment.akismet_told) is job.as_spam:
        return
    # No transaction (and no SQLite write lock) stays open while Akismet answers.
    db.session.rollback()
    service.report(job.user_ip, job.arguments, job.as_spam)
    db.session.execute(
        update(Comment)
        .where(Comment.id == job.comment_id, Comment.akismet_verdict.is_not(None))
        .values(akismet_told=SpamLabel.SPAM if job.as_spam else SpamLabel.GOOD)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
