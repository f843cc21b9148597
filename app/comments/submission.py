"""Receiving a comment: refuse it, or store it as pending or spam with the rules' reasons."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.automoderation.policy import current_policy
from app.automoderation.policy import fresh_policy
from app.automoderation.rules import ModerationPolicy
from app.automoderation.rules import Submission
from app.automoderation.rules import Verdict
from app.automoderation.rules import findings_for
from app.comments.guard import Refusal
from app.comments.guard import earlier_sends
from app.comments.guard import form_submission_id
from app.comments.guard import refusal_for
from app.comments.listing import reply_target_for
from app.database import write_from_here
from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentMode
from app.models import CommentStatus
from app.notifications import comment_arrived
from app.sanitize import clean_comment
from app.second_opinion import check_after_commit
from app.spam_filter.features import CommentText
from app.spam_filter.scoring import spam_score_for
from app.trusted_authors import is_trusted
from app.trusted_authors import publish_at_once

USER_AGENT_LIMIT = 512


@dataclass(frozen=True)
class CommentFields:
    name: str
    email: str
    website: str | None
    body: str
    honeypot: str = ""
    stamp: str | None = None
    parent_id: int | None = None
    notify: bool = False
    # The cleaned HTML, when the caller made it already (outside the transaction).
    body_html: str | None = None


def storable_user_agent(user_agent: str | None) -> str | None:
    """A header is whatever the client sent: without control characters (PostgreSQL refuses
    NUL), cut to the column's size (it is only a hint for moderators)."""
    printable = "".join(character for character in user_agent or "" if character >= " ")
    return printable.replace("\x7f", "")[:USER_AGENT_LIMIT] or None


@dataclass(frozen=True)
class ClientDetails:
    ip_address: str | None
    user_agent: str | None
    # Never stored: only handed to Akismet's check, when it is on (app/second_opinion.py).
    referrer: str | None = None


def receive_comment(
    article: Article, fields: CommentFields, client: ClientDetails
) -> Comment | Refusal:
    """The stored comment (this send's, or an earlier send's of the same form), or a refusal.

    The checks only read; the write lock is taken for the storing alone (app/database.py).
    A resend of this very form racing this one is still stored once (the unique submission
    id, store_comment_once). Two different forms with the same words in the same instant, or
    a flood overshooting its limit by one comment per worker, would get through: not worth
    holding every other worker's comment while the checks run.
    """
    submission_id = form_submission_id(fields.stamp)
    answer = _answer_without_storing(article, fields, client, submission_id)
    if answer is not None:
        return answer
    # Read before the write lock, like the checks: other workers' comments need not wait.
    spam_score = spam_score_for(text_for_filter(fields))
    write_from_here()
    return store_comment_once(article, fields, client, submission_id, spam_score)


def text_for_filter(fields: CommentFields) -> CommentText:
    return CommentText(
        body=fields.body, name=fields.name, email=fields.email, website=fields.website or ""
    )


def _answer_without_storing(
    article: Article, fields: CommentFields, client: ClientDetails, submission_id: str | None
) -> Comment | Refusal | None:
    earlier = earlier_sends(article, fields.body, fields.email, client.ip_address, submission_id)
    # Before the refusals: a resent form must not be refused as "you already said that".
    if earlier.resent_comment_id is not None:
        return db.session.get(Comment, earlier.resent_comment_id)
    refusal = refusal_for(earlier.already_said, fields.email, client.ip_address, fields.stamp)
    if refusal:
        # Another send of this form may have been stored while the checks ran (PostgreSQL
        # reads what others commit meanwhile): then that is the repeat the check just saw.
        return comment_with_submission_id(submission_id) or refusal
    _, reply_problem = reply_target_for(article, fields.parent_id)
    if reply_problem:
        return Refusal(reply_problem)
    return None


def comment_with_submission_id(submission_id: str | None) -> Comment | None:
    if submission_id is None:
        return None
    return db.session.scalar(select(Comment).where(Comment.submission_id == submission_id))


def store_comment_once(
    article: Article,
    fields: CommentFields,
    client: ClientDetails,
    submission_id: str | None,
    spam_score: float | None = None,
) -> Comment:
    """Two sends of one form at the same moment: the unique submission id lets only one in.

    The other's INSERT fails (PostgreSQL makes it wait for the first to commit); it rolls
    back and answers with the comment the first one stored. It rolls back the whole
    transaction rather than a savepoint (which cost half as much again as storing): so this
    must be its transaction's first write, as receive_comment makes it (write_from_here).
    Everything rolled back is this send's own work: the comment, its subscription, its mail.
    """
    try:
        return store_comment(article, fields, client, submission_id, spam_score)
    except IntegrityError:
        db.session.rollback()
        stored = comment_with_submission_id(submission_id)
        if stored is None:
            raise
        return stored


def store_comment(
    article: Article,
    fields: CommentFields,
    client: ClientDetails,
    submission_id: str | None = None,
    spam_score: float | None = None,
) -> Comment:
    body_html = fields.body_html or clean_comment(fields.body)
    submission = Submission(
        name=fields.name,
        email=fields.email,
        website=fields.website or "",
        body=fields.body,
        body_html=body_html,
        ip_address=client.ip_address,
        honeypot=fields.honeypot,
        spam_score=spam_score,
    )
    reasons, spam = judged(submission, article, current_policy())
    comment = Comment(
        # By id: setting the relationship drags the article, and its comments collection,
        # into the flush (about a third of storing's cost). comment.article still finds the
        # article in the session without a query.
        article_id=article.id,
        parent_id=fields.parent_id,
        author_name=fields.name,
        author_email=fields.email,
        author_website=fields.website or None,
        body_raw=fields.body,
        body_html=body_html,
        # New comments wait for a moderator (or go to spam), whatever the request claimed.
        status=CommentStatus.SPAM if spam else CommentStatus.PENDING,
        moderation_reasons=reasons,
        ip_address=client.ip_address,
        user_agent=storable_user_agent(client.user_agent),
        submission_id=submission_id,
        spam_score=spam_score,
    )
    db.session.add(comment)
    db.session.flush()
    if is_trusted(comment):
        # The policy a worker keeps may be seconds old: an address or IP blocked in those
        # seconds must not be published at once. Asked again, as it stands now.
        reasons, spam = judged(submission, article, fresh_policy())
        if reasons:
            comment.moderation_reasons = reasons
            comment.status = CommentStatus.SPAM if spam else CommentStatus.PENDING
            db.session.flush()
        else:
            publish_at_once(comment)
    comment_arrived(comment, wants_notices=fields.notify)
    check_after_commit(comment, client.referrer)
    return comment


def judged(
    submission: Submission, article: Article, policy: ModerationPolicy
) -> tuple[list[str], bool]:
    """The reasons to hold a new comment, and whether they send it to spam."""
    findings = findings_for(submission, policy)
    reasons = [finding.reason for finding in findings]
    if article.comment_mode is CommentMode.HELD:
        reasons.append("article_held")
    return reasons, any(finding.verdict is Verdict.SPAM for finding in findings)
