"""The spam filter at work: taught by the desk, scoring new comments, holding, sorting,
erased with its commenters, retrained and reported on by the CLI, and measured on real data."""

import csv
import html
import random
import re
import statistics
from pathlib import Path

import pytest
from sqlalchemy import select

from app.comments.submission import ClientDetails
from app.comments.submission import CommentFields
from app.comments.submission import store_comment as store_comment_fields
from app.comments.submission import text_for_filter
from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentStatus
from app.models import Moderator
from app.models import SpamFilterCount
from app.models import SpamLabel
from app.moderation.actions import ACTIONS
from app.moderation.actions import apply
from app.personal_data import anonymise_commenter
from app.personal_data import delete_commenter
from app.spam_filter import features
from app.spam_filter import store
from app.spam_filter.classifier import Counts
from app.spam_filter.evaluation import Example
from app.spam_filter.evaluation import figures_at
from app.spam_filter.features import TOTALS_HASH
from app.spam_filter.features import CommentText
from app.spam_filter.features import feature_key
from app.spam_filter.features import hashed
from app.spam_filter.lessons import site_feature_key
from app.spam_filter.lessons import site_features_fingerprint
from app.spam_filter.scoring import spam_score_for
from tests.conftest import ModeratorSession
from tests.conftest import add_test_moderator
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import post_comment

SPAM_TEXT = "Check out my channel http://cheap-views.example/ref subscribe now"
GOOD_TEXT = "The council vote on the riverside park was closer than expected"
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "comment-spam"


@pytest.fixture
def app(make_app):
    # Two decisions of each kind are enough here; the default of 50 has its own test.
    return make_app(SPAM_FILTER_MIN_DECISIONS=2)


def totals(app) -> tuple[int, int]:
    with app.app_context():
        row = db.session.get(SpamFilterCount, TOTALS_HASH)
        return (row.spam, row.good) if row else (0, 0)


def feature_rows(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(SpamFilterCount)).all()) - 1


def comment(app, comment_id: int) -> Comment:
    with app.app_context():
        found = db.session.get(Comment, comment_id)
        db.session.expunge(found)
        return found


def newest_comment(app) -> Comment:
    with app.app_context():
        found = db.session.scalar(select(Comment).order_by(Comment.id.desc()).limit(1))
        db.session.expunge(found)
        return found


def teach(app, desk, article, spam: int = 2, good: int = 2) -> None:
    for number in range(spam):
        desk.act(store_comment(app, article, body=f"{SPAM_TEXT} {number}"), "spam")
    for number in range(good):
        desk.act(store_comment(app, article, body=f"{GOOD_TEXT} {number}"), "approve")


# Learning from the desk


@pytest.mark.parametrize(
    ("action", "taught"), [("approve", SpamLabel.GOOD), ("spam", SpamLabel.SPAM)]
)
def test_a_desk_decision_teaches_the_filter(app, desk, article, action, taught):
    comment_id = store_comment(app, article, body=GOOD_TEXT)
    desk.act(comment_id, action)
    assert comment(app, comment_id).taught_as is taught
    assert totals(app) == ((1, 0) if taught is SpamLabel.SPAM else (0, 1))
    assert feature_rows(app) > 5


@pytest.mark.parametrize(
    ("first", "then"),
    [("approve", "unapprove"), ("approve", "trash"), ("spam", "not_spam")],
)
def test_a_reversed_decision_is_unlearned_exactly(app, desk, article, first, then):
    comment_id = store_comment(app, article, body=GOOD_TEXT)
    desk.act(comment_id, first)
    desk.act(comment_id, then)
    assert comment(app, comment_id).taught_as is None
    assert totals(app) == (0, 0)
    assert feature_rows(app) == 0


def test_changing_ones_mind_moves_the_lesson(app, desk, article):
    comment_id = store_comment(app, article, body=GOOD_TEXT)
    desk.act(comment_id, "approve")
    desk.act(comment_id, "spam")
    assert totals(app) == (1, 0)
    desk.act(comment_id, "trash")
    desk.act(comment_id, "restore")  # back to spam, where it came from
    assert comment(app, comment_id).status is CommentStatus.SPAM
    assert totals(app) == (1, 0)


def test_undo_takes_the_lesson_back(app, desk, article):
    comment_id = store_comment(app, article, body=GOOD_TEXT)
    desk.act(comment_id, "approve")
    desk.client.post("/moderation/undo", data={"csrf_token": desk.token()})
    assert comment(app, comment_id).status is CommentStatus.PENDING
    assert totals(app) == (0, 0)


def test_an_unlearned_lesson_is_what_was_taught_even_after_an_edit(app, desk, article):
    comment_id = store_comment(app, article, body=GOOD_TEXT)
    desk.act(comment_id, "approve")
    with app.app_context():
        db.session.get(Comment, comment_id).body_raw = "Entirely different words now"
        db.session.commit()
    desk.act(comment_id, "unapprove")
    assert (totals(app), feature_rows(app)) == ((0, 0), 0)


def test_bulk_actions_teach_each_comment(app, desk, article):
    ids = [store_comment(app, article, body=f"{SPAM_TEXT} {number}") for number in range(3)]
    data = {
        "csrf_token": desk.token(),
        "action": "spam",
        "scope": "selected",
        "ids": ids,
        **{f"seen-{comment_id}": "pending" for comment_id in ids},
    }
    assert desk.client.post("/moderation/bulk", data=data).status_code == 303
    assert totals(app) == (3, 0)


def test_the_newsrooms_own_replies_teach_nothing(app, desk, article):
    comment_id = store_comment(app, article, body=GOOD_TEXT)
    desk.client.post(
        f"/moderation/comments/{comment_id}/reply",
        data={"csrf_token": desk.token(), "seen": "pending", "body": "Thank you."},
    )
    assert totals(app) == (0, 1)  # the reader's comment, approved; not the reply


# Scoring new comments


def test_no_score_until_enough_decisions_of_each_kind(app, desk, article):
    teach(app, desk, article, spam=2, good=1)
    post_comment(app.test_client(), article, body=SPAM_TEXT)
    assert newest_comment(app).spam_score is None
    page = desk.client.get("/moderation/").get_data(as_text=True)
    assert "still learning" in page
    assert "No spam score" in page


def test_the_default_minimum_is_fifty_of_each(make_app):
    assert make_app().config["SPAM_FILTER_MIN_DECISIONS"] == 50


def test_a_new_comment_is_scored_from_the_decisions_so_far(app, desk, article):
    teach(app, desk, article)
    post_comment(app.test_client(), article, body=SPAM_TEXT + " today")
    spam_like = newest_comment(app)
    post_comment(app.test_client(), article, body=GOOD_TEXT + " today", email="b@example.org")
    good_like = newest_comment(app)
    assert spam_like.spam_score > 0.9
    assert good_like.spam_score < 0.1
    assert "likely_spam:9" in " ".join(spam_like.moderation_reasons)
    assert spam_like.status is CommentStatus.PENDING
    assert not [reason for reason in good_like.moderation_reasons if "likely_spam" in reason]


def test_the_hold_reason_and_score_show_on_the_card(app, desk, article):
    teach(app, desk, article)
    post_comment(app.test_client(), article, body=SPAM_TEXT + " today")
    percent = int(newest_comment(app).spam_score * 100)
    page = desk.client.get("/moderation/").get_data(as_text=True)
    assert f"likely spam ({percent}%)" in page
    assert f"Spam score: {percent}%" in page
    assert "has learned from 2 spam and 2 good decisions" in page


def test_a_decision_shows_in_the_next_comments_score_at_once(app, desk, article):
    teach(app, desk, article)
    body = "Totally new words about gardening tips"
    post_comment(app.test_client(), article, body=body, email="first@example.org")
    before = newest_comment(app)
    desk.act(before.id, "spam")
    post_comment(app.test_client(), article, body=body + "!", email="second@example.org")
    assert newest_comment(app).spam_score > before.spam_score


def test_at_the_spam_line_it_goes_straight_to_spam(make_app):
    app = make_app(SPAM_FILTER_MIN_DECISIONS=2, SPAM_FILTER_SPAM_AT=0.95)
    article = publish_test_article(app)
    add_test_moderator(app)
    desk = ModeratorSession(app.test_client())
    desk.log_in()
    teach(app, desk, article)
    post_comment(app.test_client(), article, body=SPAM_TEXT + " today")
    stored = newest_comment(app)
    assert stored.spam_score >= 0.95
    assert stored.status is CommentStatus.SPAM


def test_spam_filter_settings_are_checked_at_start(make_app):
    with pytest.raises(RuntimeError, match="SPAM_FILTER_HOLD_AT"):
        make_app(SPAM_FILTER_HOLD_AT=2)


# The desk's order


@pytest.mark.parametrize(
    ("order", "expected"),
    [("spam-first", ["high", "low", "none"]), ("spam-last", ["low", "high", "none"]), ("", None)],
)
def test_the_pending_queue_sorts_by_score(app, desk, article, order, expected):
    for body, score in (("none", None), ("low", 0.1), ("high", 0.8)):
        store_comment(app, article, body=f"Comment {body}", spam_score=score)
    page = desk.client.get(f"/moderation/?order={order}").get_data(as_text=True)
    shown = re.findall(r"Comment (none|low|high)", page)
    assert shown == (expected or ["none", "low", "high"])  # oldest first by default
    assert 'name="order"' in page


# Erasure


def test_erasing_a_commenter_takes_their_name_out_of_the_counts(app, desk, article):
    comment_id = store_comment(
        app, article, body=GOOD_TEXT, name="Ada Lovelace", email="ada@example.org"
    )
    desk.act(comment_id, "approve")
    with app.app_context():
        key = site_feature_key()
        [name_hash] = hashed(["name:ada lovelace"], key)
        assert db.session.get(SpamFilterCount, name_hash) is not None
        anonymise_commenter("ada@example.org")
        db.session.commit()
        assert db.session.get(SpamFilterCount, name_hash) is None
        [email_hash] = hashed(["email-domain:example.org"], key)
        assert email_hash not in db.session.get(Comment, comment_id).taught_features
    assert totals(app) == (0, 1)  # the decision about the words stands


def test_deleting_a_commenter_unlearns_their_comments(app, desk, article):
    comment_id = store_comment(app, article, body=GOOD_TEXT, email="ada@example.org")
    desk.act(comment_id, "approve")
    with app.app_context():
        delete_commenter("ada@example.org")
        db.session.commit()
    assert (totals(app), feature_rows(app)) == ((0, 0), 0)


def test_nothing_plain_is_stored(app, desk, article):
    comment_id = store_comment(
        app, article, body="Hello riverside", name="Ada Lovelace", email="ada@example.org"
    )
    desk.act(comment_id, "spam")
    with app.app_context():
        stored = db.session.scalars(select(SpamFilterCount.feature_hash)).all()
    assert all(isinstance(value, int) for value in stored)


# The commands


def test_train_spam_filter_rebuilds_from_every_decision(app, desk, article, runner):
    teach(app, desk, article, spam=3, good=2)
    trusted = store_comment(app, article, body=GOOD_TEXT, status=CommentStatus.APPROVED)
    before = (totals(app), feature_rows(app))
    with app.app_context():
        db.session.execute(SpamFilterCount.__table__.delete())
        db.session.commit()

    result = runner.invoke(args=["train-spam-filter"])

    assert result.exit_code == 0, result.output
    assert "3 spam and 2 good" in result.output
    assert (totals(app), feature_rows(app)) == before
    assert comment(app, trusted).taught_as is None  # never a moderator's decision


def test_train_spam_filter_takes_up_a_change_of_features(app, desk, article, runner, monkeypatch):
    teach(app, desk, article, spam=3, good=2)
    monkeypatch.setattr(features, "STEM_LENGTH", 3)
    with app.app_context():
        new_stem = hashed(["stem:sub"], site_feature_key())[0]
        assert db.session.get(SpamFilterCount, new_stem) is None

    result = runner.invoke(args=["train-spam-filter"])

    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(SpamFilterCount, new_stem).spam == 3


def learned_fingerprint(app) -> int | None:
    with app.app_context():
        return store.learned_fingerprint()


def site_fingerprint(app) -> int:
    with app.app_context():
        return site_features_fingerprint()


def test_train_spam_filter_records_the_features_it_learned_with(app, desk, article, runner):
    teach(app, desk, article)
    assert learned_fingerprint(app) is None  # a database never rebuilt: older features
    assert runner.invoke(args=["train-spam-filter"]).exit_code == 0
    assert learned_fingerprint(app) == site_fingerprint(app)


def test_init_db_on_a_new_site_records_the_features_and_says_nothing_of_them(app, runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Spam filter" not in result.output
    assert learned_fingerprint(app) == site_fingerprint(app)


@pytest.mark.parametrize("change", ["features", "secret key"])
def test_init_db_learns_every_decision_again_when_features_or_key_changed(
    app, desk, article, runner, monkeypatch, change
):
    teach(app, desk, article, spam=3, good=2)
    assert runner.invoke(args=["init-db"]).exit_code == 0
    before = learned_fingerprint(app)
    if change == "features":
        monkeypatch.setattr(features, "FEATURES_VERSION", features.FEATURES_VERSION + 1)
        monkeypatch.setattr(features, "STEM_LENGTH", 3)
        new_feature = "stem:sub"
    else:
        monkeypatch.setitem(app.config, "SECRET_KEY", "a new secret after a leak")
        new_feature = "stem:subsc"
    with app.app_context():
        new_hash = hashed([new_feature], site_feature_key())[0]
        assert db.session.get(SpamFilterCount, new_hash) is None

    first = runner.invoke(args=["init-db"])
    again = runner.invoke(args=["init-db"])

    assert "learned its 3 spam and 2 good decisions again" in first.output
    assert "Spam filter" not in again.output
    assert learned_fingerprint(app) not in (None, before)
    assert totals(app) == (3, 2)
    with app.app_context():
        assert db.session.get(SpamFilterCount, new_hash).spam == 3


def test_spam_filter_report_prints_both_lines(app, desk, article, runner):
    teach(app, desk, article, spam=5, good=5)
    result = runner.invoke(args=["spam-filter-report"])
    assert result.exit_code == 0, result.output
    assert "tested on the newest 2" in result.output
    assert "hold line (SPAM_FILTER_HOLD_AT) 0.90: precision" in result.output
    assert "spam line (SPAM_FILTER_SPAM_AT): off" in result.output


def test_spam_filter_report_with_nothing_decided(runner):
    result = runner.invoke(args=["spam-filter-report"])
    assert result.exit_code != 0
    assert "No decisions" in result.output


# On real comments


def labelled_comments(name: str) -> list[tuple[str, str, bool]]:
    if not DATA.is_dir():
        pytest.skip(f"the shared comment-spam data is not at {DATA}")
    with (DATA / name).open(encoding="utf-8") as file:
        return [
            (row["AUTHOR"], readers_text(row["CONTENT"]), row["CLASS"] == "1")
            for row in csv.DictReader(file)
        ]


def readers_text(content: str) -> str:
    """The corpus holds YouTube's HTML; a reader would have typed the plain text."""
    return html.unescape(re.sub(r"<br\s*/?>", "\n", content)).replace("\ufeff", "").strip()


# At the default hold line (0.9). The target is at least 90% caught, at most 3% held: met
# trained on Katy Perry, missed trained on Psy (README). Each case asserts what it gives
# now, so a change that loses spam caught or holds more good comments fails.
@pytest.mark.parametrize(
    ("taught", "tested", "least_caught", "most_held"),
    [
        ("Youtube02-KatyPerry.csv", "Youtube01-Psy.csv", 0.94, 0.018),
        ("Youtube01-Psy.csv", "Youtube02-KatyPerry.csv", 0.88, 0.018),
    ],
)
def test_trained_through_the_desk_it_sorts_the_other_videos_comments(
    app, article, moderator, taught, tested, least_caught, most_held
):
    """Every decision through the desk's own path; every test comment scored as it is stored."""
    train, test = labelled_comments(taught), labelled_comments(tested)
    with app.app_context():
        sam = db.session.scalar(select(Moderator))
        page = db.session.scalar(select(Article).where(Article.slug == article))
        client = ClientDetails(ip_address="192.0.2.10", user_agent=None)
        for name, body, is_spam in train:
            stored = store_comment_fields(page, CommentFields(name, "", None, body), client)
            apply(ACTIONS["spam" if is_spam else "approve"], stored.id, stored.status, sam)
        db.session.commit()
        scored = []
        for name, body, is_spam in test:
            fields = CommentFields(name, "", None, body)
            stored = store_comment_fields(
                page, fields, client, spam_score=spam_score_for(text_for_filter(fields))
            )
            scored.append((stored.spam_score, stored.status, is_spam))
        db.session.rollback()
    spam = [score for score, _, is_spam in scored if is_spam]
    good = [score for score, _, is_spam in scored if not is_spam]
    caught = sum(score >= 0.9 for score in spam) / len(spam)
    held = sum(score >= 0.9 for score in good) / len(good)
    assert caught >= least_caught
    assert held <= most_held
    assert all(status is CommentStatus.PENDING for _, status, _ in scored)


def sixty_forty_figures(*files: str, shuffles: int = 40) -> tuple[list[float], list[float]]:
    """Spam caught and good comments held at the hold line, 60% taught and 40% scored, over
    shuffles of the files' comments (in memory: the desk's path is the test above)."""
    comments = [comment for name in files for comment in labelled_comments(name)]
    key = feature_key("a-secret-key-used-only-by-the-tests")
    examples = [
        Example(hashed(features.features_of(CommentText(body, name)), key), is_spam)
        for name, body, is_spam in comments
    ]
    caught = []
    held = []
    for seed in range(shuffles):
        shuffled = random.Random(seed).sample(examples, len(examples))
        split = int(len(shuffled) * 0.6)
        [figures] = figures_at([0.9], shuffled[:split], shuffled[split:])
        caught.append(figures.recall)
        held.append(figures.good_held)
    return caught, held


def test_taught_sixty_percent_of_both_videos_it_meets_the_target_on_the_rest():
    """The issue's own test over both files. One shuffle moves by 3 to 4 points, so the mean
    meets the target and most shuffles do (34 of 40; the lowest catches 87.5%)."""
    caught, held = sixty_forty_figures("Youtube01-Psy.csv", "Youtube02-KatyPerry.csv")
    assert statistics.mean(caught) >= 0.92
    assert sum(share >= 0.90 for share in caught) >= 34
    assert statistics.mean(held) <= 0.03
    assert max(held) <= 0.03


@pytest.mark.parametrize("video", ["Youtube01-Psy.csv", "Youtube02-KatyPerry.csv"])
def test_taught_sixty_percent_of_one_video_it_meets_the_target_on_the_rest(video):
    """The issue's own test as a site would meet it: one corpus, 60% taught through the desk,
    the rest scored. With 70 good comments a shuffle, one shuffle's good held moves by a
    comment or two (1.4 to 2.9 points), so the means."""
    caught, held = sixty_forty_figures(video)
    assert statistics.mean(caught) >= 0.91
    assert statistics.mean(held) <= 0.02


def test_scoring_reads_the_counts_of_every_64_bit_hash(app):
    extremes = [-(2**63), 2**63 - 1, -1, 1, 123_456_789]
    with app.app_context():
        store.learn(extremes, SpamLabel.SPAM)
        store.learn(extremes[:2], SpamLabel.GOOD)
        found, totals = store.counts_for([*extremes, 42])
    assert sorted((count.spam, count.good) for count in found) == [(1, 0)] * 3 + [(1, 1)] * 2
    assert totals == Counts(1, 1)
