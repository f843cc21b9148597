"""The durability proof, small: 4 gunicorn workers, 16 readers, 320 comments (tests/durability.py).

`make prove-durability` runs the large one (50 readers, 2,000 comments).
"""

import pytest

from tests.durability import prove

pytestmark = pytest.mark.slow


def test_every_acknowledged_comment_is_stored_exactly_once(tmp_path, empty_database_url):
    report = prove(tmp_path, empty_database_url, readers=16, comments=320, workers=4)
    print(report.summary())
    assert report.problems() == []
    assert len(report.acknowledged) == 320


def test_nothing_is_lost_when_a_worker_dies_while_a_moderator_approves(
    tmp_path, empty_database_url
):
    report = prove(
        tmp_path, empty_database_url, readers=16, comments=320, workers=4, kill_and_moderate=True
    )
    print(report.summary())
    assert report.problems() == []
    assert report.killed_worker is not None
    assert report.approvals > 0
