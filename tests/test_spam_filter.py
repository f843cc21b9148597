"""The spam filter's pure parts: features, keyed hashes, the scoring math, the hold rule."""

import math
import time

import pytest

from app.automoderation.rules import ModerationPolicy
from app.automoderation.rules import Submission
from app.automoderation.rules import Verdict
from app.automoderation.rules import likely_spam
from app.spam_filter.classifier import Counts
from app.spam_filter.classifier import feature_probability
from app.spam_filter.classifier import log_chi_squared_tail
from app.spam_filter.classifier import spam_probability
from app.spam_filter.evaluation import Example
from app.spam_filter.evaluation import figures_at
from app.spam_filter.features import TOTALS_HASH
from app.spam_filter.features import CommentText
from app.spam_filter.features import feature_key
from app.spam_filter.features import features_of
from app.spam_filter.features import hashed
from app.validators import COMMENT_LIMIT

KEY = feature_key("a-secret-key-used-only-by-the-tests")


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        (CommentText(body="Great Reporting"), {"word:great", "word:reporting"}),
        (CommentText(body="Great reporting"), {"pair:great reporting"}),
        (CommentText(body="It’s fine, isn't it"), {"word:it’s", "word:isn't"}),
        (
            CommentText(body="see http://www.Spam.example/buy?ref=9"),
            {"link:spam.example", "link-ending:example", "link-word:ref", "links:1"},
        ),
        (CommentText(body="no links here"), {"links:0"}),
        (
            CommentText(body="just for test I have to say murdev.com"),
            {"link:murdev.com", "link-ending:com", "link-word:murdev", "links:1"},
        ),
        (
            CommentText(body="gofundme.com/grwmps please"),
            {"link:gofundme.com", "link-word:grwmps", "links:1", "word:please"},
        ),
        (CommentText(body="Lyrics at Song.Example.CO.UK"), {"link:song.example.co.uk"}),
        (CommentText(body="x", name="Ada  Lovelace"), {"name:ada lovelace"}),
        (CommentText(body="x", email="Ada@Example.ORG"), {"email-domain:example.org"}),
        (
            CommentText(body="x", website="https://www.ada.example/about"),
            {"website-domain:ada.example"},
        ),
        (CommentText(body="a" * 25), {"word:long:20"}),
        (CommentText(body="Subscribers wanted"), {"stem:subsc", "stem:wante"}),
    ],
)
def test_features_of_a_comment(comment, expected):
    assert expected <= set(features_of(comment))


@pytest.mark.parametrize(
    "body",
    [
        "Great.This is a song",  # a missing space, not an address
        "I love.it so much",
        "call.me maybe",
        "version 2.0 is out",
        "e.g. the council",
    ],
)
def test_text_that_only_looks_like_an_address_stays_words(body):
    assert "links:0" in features_of(CommentText(body=body))


@pytest.mark.parametrize("repeated", ["a.", "ab-", "a-", "1.", "x.com.", "a.b "])
def test_features_of_a_longest_comment_of_address_like_text_stay_cheap(repeated):
    # Unbounded, the address pattern took 0.7 s on 2,500 times "a." (each start rescanned).
    body = (repeated * COMMENT_LIMIT)[:COMMENT_LIMIT]
    started = time.process_time()
    features_of(CommentText(body=body))
    assert time.process_time() - started < 0.1


def test_an_address_without_http_counts_as_a_link_not_as_words():
    found = features_of(CommentText(body="see murdev.com now"))
    assert "word:murdev" not in found
    assert "word:com" not in found
    assert "pair:see now" in found


def test_features_leave_out_what_is_not_there():
    found = features_of(CommentText(body="Hello"))
    assert not [feature for feature in found if feature.startswith(("name:", "email-", "web"))]


def test_short_words_have_no_stem_of_their_own():
    found = features_of(CommentText(body="check my channel"))
    assert [feature for feature in found if feature.startswith("stem:")] == ["stem:chann"]


def test_features_are_distinct():
    found = features_of(CommentText(body="buy buy buy now buy now"))
    assert len(found) == len(set(found))


def test_hashes_are_keyed_by_the_site_secret():
    features = ["name:ada lovelace", "email-domain:example.org"]
    assert hashed(features, KEY) == hashed(features, KEY)
    assert hashed(features, KEY) != hashed(features, feature_key("another site's secret"))


def test_hashes_fit_a_bigint_and_never_take_the_totals_row():
    for value in hashed((f"word:{number}" for number in range(2000)), KEY):
        assert -(2**63) <= value < 2**63
        assert value != TOTALS_HASH


@pytest.mark.parametrize(
    ("counts", "totals", "expected"),
    [
        (Counts(0, 0), Counts(10, 10), 0.5),  # never seen: no evidence
        (Counts(5, 0), Counts(0, 10), 0.5),  # nothing learned of one kind yet
        (Counts(10, 10), Counts(10, 10), 0.5),  # as common in both
    ],
)
def test_feature_probability_without_evidence_is_neutral(counts, totals, expected):
    assert feature_probability(counts, totals) == pytest.approx(expected)


def test_feature_probability_leans_with_the_evidence_and_grows_surer_with_more():
    totals = Counts(100, 100)
    once = feature_probability(Counts(1, 0), totals)
    often = feature_probability(Counts(20, 0), totals)
    assert 0.5 < once < often < 1
    assert feature_probability(Counts(0, 20), totals) == pytest.approx(1 - often)


def test_feature_probability_weighs_shares_not_raw_counts():
    # Seen in 10 of 100 spam and 10 of 1,000 good comments: ten times as common in spam.
    assert feature_probability(Counts(10, 10), Counts(100, 1000)) > 0.85


@pytest.mark.parametrize(
    ("chi_squared", "degrees", "expected"),
    [
        (0.0, 2, 1.0),
        (2.0, 2, math.exp(-1)),
        (4.0, 4, math.exp(-2) * 3),
        (1000.0, 10, 0.0),
    ],
)
def test_chi_squared_tail(chi_squared, degrees, expected):
    assert chi_squared_tail(chi_squared, degrees) == pytest.approx(expected, abs=1e-12)


def chi_squared_tail(chi_squared: float, degrees: int) -> float:
    """P(X >= chi_squared): the site works in logs only."""
    return math.exp(log_chi_squared_tail(chi_squared, degrees))


def test_a_comment_of_spam_features_scores_near_one_and_of_good_ones_near_zero():
    totals = Counts(100, 100)
    spammy = [Counts(40, 0), Counts(30, 1), Counts(25, 0)]
    good = [Counts(0, 40), Counts(1, 30), Counts(0, 25)]
    assert spam_probability(spammy, totals) > 0.95
    assert spam_probability(good, totals) < 0.05


def test_a_link_wrapped_in_words_good_comments_use_is_still_held():
    """A spammer's link among a few everyday words ("http://psnboss.com/?ref=… this is the
    song"): the link's clues are far surer than the words', and the score says so."""
    totals = Counts(175, 175)
    link = [Counts(71, 3), Counts(49, 0), Counts(50, 0), Counts(6, 0)]
    words = [Counts(12, 65), Counts(11, 39), Counts(22, 65), Counts(7, 20), Counts(1, 8)]
    assert spam_probability(link + words + [Counts(0, 4)], totals) >= 0.9


def test_many_sure_clues_on_both_sides_still_give_a_score():
    """Each side's tail underflows a float on its own; their ratio must not be 0 / 0."""
    totals = Counts(100_000, 100_000)
    spammy, good = Counts(90_000, 0), Counts(0, 90_000)
    assert spam_probability([spammy] * 75 + [good] * 75, totals) == pytest.approx(0.5)
    assert spam_probability([spammy] * 140 + [good] * 10, totals) > 0.99
    assert spam_probability([spammy] * 10 + [good] * 140, totals) < 0.01


def test_mixed_or_missing_evidence_scores_in_the_middle():
    totals = Counts(100, 100)
    assert spam_probability([], totals) == 0.5
    assert spam_probability([Counts(0, 0), Counts(50, 50)], totals) == 0.5
    assert 0.3 < spam_probability([Counts(40, 0), Counts(0, 40)], totals) < 0.7


@pytest.mark.parametrize(
    ("score", "hold_at", "spam_at", "expected"),
    [
        (None, 0.9, None, None),
        (0.5, 0.9, None, None),
        (0.9, 0.9, None, (Verdict.HOLD, "likely_spam:90")),
        (0.979, 0.9, None, (Verdict.HOLD, "likely_spam:97")),
        (0.979, 0.9, 0.99, (Verdict.HOLD, "likely_spam:97")),
        (0.995, 0.9, 0.99, (Verdict.SPAM, "likely_spam:99")),
        (0.995, None, None, None),
    ],
)
def test_likely_spam_rule(score, hold_at, spam_at, expected):
    submission = Submission("Ada", "ada@example.org", "", "Hi", "<p>Hi</p>", None, "", score)
    policy = ModerationPolicy(spam_filter_hold_at=hold_at, spam_filter_spam_at=spam_at)
    finding = likely_spam(submission, policy)
    assert (finding and (finding.verdict, finding.reason)) == expected


@pytest.mark.parametrize("line", [0, 1.5, -0.1, "high", True])
def test_score_lines_outside_zero_to_one_are_refused(line):
    with pytest.raises((ValueError, TypeError)):
        ModerationPolicy.from_lists(hold_link_count=2, spam_filter_hold_at=line)


def test_figures_at_a_line_count_what_it_would_have_caught():
    spam_words = [hashed([f"word:offer{n}", "word:cheap"], KEY) for n in range(5)]
    good_words = [hashed([f"word:council{n}", "word:park"], KEY) for n in range(5)]
    train = [Example(h, True) for h in spam_words[:4]] + [Example(h, False) for h in good_words[:4]]
    test = [Example(spam_words[4], True), Example(good_words[4], False)]
    [figures] = figures_at([0.9], train, test)
    assert (figures.spam_caught, figures.good_caught) == (1, 0)
    assert (figures.precision, figures.recall, figures.good_held) == (1.0, 1.0, 0.0)
