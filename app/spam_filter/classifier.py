"""The scoring math, pure: Robinson's per-feature estimate and Fisher's chi-squared combining.

This is the SpamBayes / Bogofilter recipe (Gary Robinson, "A Statistical Approach to the Spam
Problem", 2003). Each feature's spam probability is the share of spam among the comments that
had it, pulled towards 0.5 while it is rare; the most telling features are then combined
into two chi-squared tests: how unlikely the features' spam side would be by chance, and how
unlikely their good side. The score weighs the two tails against each other, as Bogofilter
does (Q / (P + Q)): a few sure clues outweigh many mild ones, so a spammer's link wrapped in
everyday words still scores as spam. Near 0.5, the evidence is mixed or thin.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

# Robinson's s and x: how much a feature seen once weighs against the neutral guess.
# SpamBayes' 0.45 was tuned on email. With the two tails weighed, a few sure clues decide,
# and at 0.45 one 60/40 shuffle of the shared YouTube data held 3.9% of its good comments;
# 0.55 pulls features seen once or twice further towards 0.5 and keeps every shuffle under
# 3% (the README's "The spam filter" has the figures).
STRENGTH = 0.55
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
    # How likely features this spammy (P) and this good (Q) would be by chance; in logs, as
    # both underflow a float once a long comment has many sure clues.
    spam_tail = log_chi_squared_tail(-2.0 * sum(math.log(1.0 - p) for p in telling), degrees)
    good_tail = log_chi_squared_tail(-2.0 * sum(math.log(p) for p in telling), degrees)
    # Q / (P + Q), written so that neither is ever computed outside a float's range.
    return 1.0 / (1.0 + math.exp(min(spam_tail - good_tail, 700.0)))


def log_chi_squared_tail(chi_squared: float, degrees: int) -> float:
    """The natural log of P(X >= chi_squared) for X chi-squared with an even number of
    degrees of freedom, finite however far out chi_squared is.

    The tail is exp(-m) * (1 + m + m^2/2! + ...) with m half of chi_squared and degrees / 2
    terms; the sum is taken relative to its largest term, so no term overflows."""
    half = chi_squared / 2.0
    if half <= 0.0:
        return 0.0
    log_half = math.log(half)
    log_terms = [index * log_half - math.lgamma(index + 1) for index in range(degrees // 2)]
    largest = max(log_terms)
    return min(0.0, -half + largest + math.log(sum(math.exp(term - largest) for term in log_terms)))
