"""What a moderator's decision teaches the filter, and taking it back when it is reversed.

A comment's lesson follows from its status alone: approved is good, spam is spam, pending
and trash teach nothing (trash is for comments unwanted for other reasons than spam, and a
moderator may trash spam too). So approving teaches "good", unapproving takes it back, and
"Not spam" takes back "spam". The hashes taught are kept on the comment, so taking a lesson
back removes exactly what was added, even after the text was edited or its author erased.

Only moderators' decisions teach: trusted authors' automatic approval and the rules' own
verdicts would have the filter learn from itself.
"""

from dataclasses import dataclass
from functools import lru_cache

from flask import current_app

from app.models import Comment
from app.models import CommentStatus
from app.models import SpamLabel
from app.spam_filter import store
from app.spam_filter.features import CommentText
from app.spam_filter.features import feature_key
from app.spam_filter.features import features_fingerprint
from app.spam_filter.features import features_of
from app.spam_filter.features import hashed

LESSON_OF_STATUS = {
    CommentStatus.APPROVED: SpamLabel.GOOD,
    CommentStatus.SPAM: SpamLabel.SPAM,
}


@dataclass(frozen=True)
class Lesson:
    """The change a decision makes to what the filter learned from one comment."""

    forget: SpamLabel | None
    forget_hashes: tuple[int, ...]
    learn: SpamLabel | None
    learn_hashes: tuple[int, ...]

    @property
    def changes_anything(self) -> bool:
        return self.forget is not None or self.learn is not None

    @property
    def comment_columns(self) -> dict:
        """What the comment records of it (taught_as, taught_features)."""
        return {
            "taught_as": self.learn,
            "taught_features": list(self.learn_hashes) if self.learn else None,
        }


def lesson_for(comment: Comment, new_status: CommentStatus) -> Lesson:
    """What moving this comment to `new_status` by a moderator teaches."""
    wanted = None if comment.staff_author_id else LESSON_OF_STATUS.get(new_status)
    if wanted is comment.taught_as:
        return Lesson(None, (), None, ())
    return Lesson(
        forget=comment.taught_as,
        forget_hashes=tuple(comment.taught_features or ()),
        learn=wanted,
        learn_hashes=tuple(feature_hashes_of(comment)) if wanted else (),
    )


def carry_out(lesson: Lesson) -> None:
    if lesson.forget is not None:
        store.unlearn(lesson.forget_hashes, lesson.forget)
    if lesson.learn is not None:
        store.learn(lesson.learn_hashes, lesson.learn)


def feature_hashes_of(comment: Comment) -> list[int]:
    return hashed(features_of(text_of(comment)), site_feature_key())


def text_of(comment: Comment) -> CommentText:
    return CommentText(
        body=comment.body_raw,
        name=comment.author_name or "",
        email=comment.author_email or "",
        website=comment.author_website or "",
    )


def site_feature_key() -> bytes:
    return _feature_key_for(current_app.config["SECRET_KEY"])


def site_features_fingerprint() -> int:
    return features_fingerprint(site_feature_key())


@lru_cache(maxsize=4)
def _feature_key_for(secret_key: str) -> bytes:
    return feature_key(secret_key)


def relearn_after_erasure(comment: Comment) -> None:
    """Its author's name, email and website are gone: their features go from the counts too,
    while the decision about the words stands."""
    if comment.taught_as is None:
        return
    store.unlearn(comment.taught_features or (), comment.taught_as)
    hashes = feature_hashes_of(comment)
    store.learn(hashes, comment.taught_as)
    comment.taught_features = hashes


def forget(comment: Comment) -> None:
    """The comment is about to be deleted: take back what it taught."""
    if comment.taught_as is not None:
        store.unlearn(comment.taught_features or (), comment.taught_as)
        comment.taught_as = None
        comment.taught_features = None
