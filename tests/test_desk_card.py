"""What a desk card offers comes from the card, not from its template: a table of cases."""

from datetime import UTC
from datetime import datetime

import pytest

from app.models import Comment
from app.models import CommentStatus
from app.moderation.queues import Card
from app.moderation.queues import History

PENDING = CommentStatus.PENDING
APPROVED = CommentStatus.APPROVED
SPAM = CommentStatus.SPAM
TRASH = CommentStatus.TRASH


def card_for(status: CommentStatus, picked: bool = False) -> Card:
    comment = Comment(id=7, status=status)
    comment.picked_at = datetime(2026, 12, 1, tzinfo=UTC) if picked else None
    return Card(comment, [], History(), History())


@pytest.mark.parametrize(
    ("status", "picked", "labels"),
    [
        (PENDING, False, ["Approve", "Spam", "Trash"]),
        (APPROVED, False, ["Unapprove", "Spam", "Trash", "Pick"]),
        (APPROVED, True, ["Unapprove", "Spam", "Trash", "Unpick"]),
        (SPAM, False, ["Not spam", "Trash"]),
        (TRASH, False, ["Spam", "Restore", "Delete permanently"]),
    ],
)
def test_each_status_offers_its_buttons(status, picked, labels):
    assert [button.label for button in card_for(status, picked).buttons] == labels


def test_the_keyboard_keys_belong_to_approve_spam_and_trash():
    keys = {button.label: button.shortcut for button in card_for(PENDING).buttons}
    assert keys == {"Approve": "a", "Spam": "s", "Trash": "t"}


@pytest.mark.parametrize(
    ("status", "answerable", "approves"),
    [(PENDING, True, True), (APPROVED, True, False), (SPAM, False, False), (TRASH, False, False)],
)
def test_which_comments_the_newsroom_may_answer(status, answerable, approves):
    card = card_for(status)
    assert card.can_be_answered is answerable
    assert card.answering_approves is approves


def test_a_commenters_history_is_told_in_a_fixed_order_with_zeros():
    history = History({SPAM: 2, APPROVED: 5})
    assert history.told == [(APPROVED, 5), (PENDING, 0), (SPAM, 2), (TRASH, 0)]
    assert history.total == 7
