"""Rebuilding the filter from every decision stored, and an honest test of it on this site."""

from collections import Counter
from collections.abc import Iterator

from sqlalchemy import bindparam
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update

from app.extensions import db
from app.models import Comment
from app.models import SpamLabel
from app.spam_filter import store
from app.spam_filter.classifier import Counts
from app.spam_filter.evaluation import Example
from app.spam_filter.evaluation import LineFigures
from app.spam_filter.evaluation import figures_at
from app.spam_filter.lessons import LESSON_OF_STATUS
from app.spam_filter.lessons import feature_hashes_of
from app.spam_filter.lessons import site_features_fingerprint

BATCH = 1000
# The report tests on the newest fifth of the decisions and trains on the rest.
TESTED_SHARE = 0.2


def decided_comments() -> Iterator[Comment]:
    """Comments whose status a moderator chose, oldest decision first.

    A moderator's last change (status_changed_by), or a lesson recorded when a moderator
    since removed made it; not a trusted author's automatic approval, not the rules' spam,
    not the newsroom's own replies.
    """
    query = (
        select(Comment)
        .where(
            Comment.status.in_(LESSON_OF_STATUS),
            Comment.staff_author_id.is_(None),
            or_(Comment.status_changed_by_id.is_not(None), Comment.taught_as.is_not(None)),
        )
        .order_by(Comment.status_changed_at, Comment.id)
        .execution_options(yield_per=BATCH)
    )
    yield from db.session.scalars(query)


def retrain() -> Counts:
    """Forget every count and learn again from every decision (after an import, a restored
    backup, a new SECRET_KEY or a change of features). Returns the totals learned."""
    spam: Counter[int] = Counter()
    good: Counter[int] = Counter()
    lessons = []
    for comment in decided_comments():
        label = LESSON_OF_STATUS[comment.status]
        hashes = feature_hashes_of(comment)
        (spam if label is SpamLabel.SPAM else good).update(hashes)
        lessons.append({"row_id": comment.id, "label": label, "hashes": hashes})
    # Read before this: a lesson recorded is itself a sign of a decision (decided_comments).
    db.session.execute(
        update(Comment)
        .where(Comment.taught_as.is_not(None))
        .values(taught_as=None, taught_features=None)
        .execution_options(synchronize_session=False)
    )
    for start in range(0, len(lessons), BATCH):
        db.session.execute(
            update(Comment.__table__)
            .where(Comment.__table__.c.id == bindparam("row_id"))
            .values(taught_as=bindparam("label"), taught_features=bindparam("hashes")),
            lessons[start : start + BATCH],
        )
    totals = Counts(
        spam=sum(lesson["label"] is SpamLabel.SPAM for lesson in lessons),
        good=sum(lesson["label"] is SpamLabel.GOOD for lesson in lessons),
    )
    counts = {
        feature_hash: Counts(spam[feature_hash], good[feature_hash])
        for feature_hash in spam.keys() | good.keys()
    }
    store.replace_all(counts, totals, site_features_fingerprint())
    db.session.expire_all()
    return totals


def retrain_if_features_changed() -> Counts | None:
    """After an upgrade that changed the features, or a new SECRET_KEY, the counts hold
    hashes that new comments never give: learn every decision again. None if up to date."""
    if store.learned_fingerprint() == site_features_fingerprint():
        return None
    return retrain()


def evaluate_on_newest(lines: list[float]) -> tuple[int, int, list[LineFigures]]:
    """Train on the older decisions, test on the newest fifth: (trained, tested, figures)."""
    examples = [
        Example(feature_hashes_of(comment), LESSON_OF_STATUS[comment.status] is SpamLabel.SPAM)
        for comment in decided_comments()
    ]
    tested = round(len(examples) * TESTED_SHARE)
    split = len(examples) - tested
    return split, tested, figures_at(lines, examples[:split], examples[split:])
