"""A new comment's spam score: one statement for its features' counts and the totals."""

from dataclasses import dataclass

from flask import current_app

from app.spam_filter import store
from app.spam_filter.classifier import Counts
from app.spam_filter.classifier import spam_probability
from app.spam_filter.features import CommentText
from app.spam_filter.features import features_of
from app.spam_filter.features import hashed
from app.spam_filter.lessons import site_feature_key


@dataclass(frozen=True)
class Readiness:
    """How much the filter has learned, against how much it needs before it scores."""

    learned: Counts
    needed: int

    @property
    def ready(self) -> bool:
        return min(self.learned.spam, self.learned.good) >= self.needed


def spam_score_for(text: CommentText) -> float | None:
    """0 to 1; None until the filter has learned enough decisions of each kind."""
    hashes = hashed(features_of(text), site_feature_key())
    feature_counts, totals = store.counts_for(hashes)
    if not Readiness(totals, minimum_decisions()).ready:
        return None
    return spam_probability(feature_counts, totals)


def readiness() -> Readiness:
    return Readiness(store.learned_totals(), minimum_decisions())


def minimum_decisions() -> int:
    return int(current_app.config["SPAM_FILTER_MIN_DECISIONS"])
