"""The scoring math, pure: Robinson's per-feature estimate and Fisher's chi-squared combining.

This is the SpamBayes / Bogofilter recipe (Gary Robinson, "A Statistical Approach to the Spam
Problem", 2003). Each feature's spam probability is the share of spam among the comments that
had it, pulled towards 0.5 while it is rare; the most telling features are then combined
into two chi-squared tests, "is it spam?" and "is it good?", whose difference is the score.
Scores near 0 or 1 mean the tests agree; near 0.5, that the evidence is mixed or thin.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

# Robinson's s and x: how much a feature seen once weighs against the neutral guess.
STRENGTH = 0.45
UNKNOWN_PROBABILITY = 0.5
# Features barely off 0.5 add noise, not evidence; the most telling ones are enough.
MINIMUM_DEVIATION = 0.1
MOST_FEATURES = 150


@dataclass(frozen=True)
class Counts:
    """How many learned spam and good comments had a feature (or, for totals, at all)."""

    spam: int = 0
    good: int = 0


def feature_probability(counts: Counts, totals: Counts) -> float:
    """Robinson's f(w): the spam share of a feature, adjusted for how often it was seen."""
    seen = counts.spam + counts.good
    if seen == 0 or totals.spam == 0 or totals.good == 0:
        return UNKNOWN_PROBABILITY
    spam_ratio = min(1.0, counts.spam / totals.spam)
    good_ratio = min(1.0, counts.good / totals.good)
    share = spam_ratio / (spam_ratio + good_ratio)
    return (STRENGTH * UNKNOWN_PROBABILITY + seen * share) / (STRENGTH + seen)


def spam_probability(feature_counts: Iterable[Counts], totals: Counts) -> float:
    """0 (good) to 1 (spam), from the counts of a comment's distinct features."""
    probabilities = [feature_probability(counts, totals) for counts in feature_counts]
    telling = sorted(
        (p for p in probabilities if abs(p - UNKNOWN_PROBABILITY) >= MINIMUM_DEVIATION),
        key=lambda p: abs(p - UNKNOWN_PROBABILITY),
        reverse=True,
    )[:MOST_FEATURES]
    if not telling:
        return UNKNOWN_PROBABILITY
    degrees = 2 * len(telling)
    spamminess = 1.0 - chi_squared_tail(-2.0 * sum(math.log(1.0 - p) for p in telling), degrees)
    hamminess = 1.0 - chi_squared_tail(-2.0 * sum(math.log(p) for p in telling), degrees)
    return (1.0 + spamminess - hamminess) / 2.0


def chi_squared_tail(chi_squared: float, degrees: int) -> float:
    """P(X >= chi_squared) for X chi-squared with an even number of degrees of freedom."""
    half = chi_squared / 2.0
    term = total = math.exp(-half)
    for index in range(1, degrees // 2):
        term *= half / index
        total += term
    return min(total, 1.0)
