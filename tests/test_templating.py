"""Dates as readers read them: in words, in the site's timezone, whatever the server's locale."""

from datetime import UTC
from datetime import datetime

import pytest

from app.templating import format_date
from app.templating import format_datetime
from app.templating import iso_datetime


@pytest.fixture
def in_new_york(make_app):
    app = make_app(TIMEZONE="America/New_York")
    with app.app_context():
        yield


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        # Midnight and noon in New York (UTC-5 in winter, UTC-4 in summer).
        (datetime(2026, 1, 5, 5, 7, tzinfo=UTC), "January 5, 2026 at 12:07 am"),
        (datetime(2026, 7, 14, 16, 0, tzinfo=UTC), "July 14, 2026 at 12:00 pm"),
        (datetime(2026, 12, 31, 23, 59, tzinfo=UTC), "December 31, 2026 at 6:59 pm"),
        # Still the last day of the year there.
        (datetime(2027, 1, 1, 3, 30, tzinfo=UTC), "December 31, 2026 at 10:30 pm"),
    ],
)
def test_a_time_reads_in_words_in_the_sites_timezone(in_new_york, moment, words):
    assert format_datetime(moment) == words
    assert format_date(moment) == words.split(" at ")[0]


def test_every_month_has_the_name_strftime_gives_in_english(in_new_york):
    for month in range(1, 13):
        moment = datetime(2026, month, 15, 12, tzinfo=UTC)
        # Python's strftime uses the C locale until a program sets another: English.
        assert format_date(moment) == f"{moment:%B} 15, 2026"


def test_the_machine_readable_time_carries_the_sites_offset(in_new_york):
    assert iso_datetime(datetime(2026, 1, 5, 5, 7, tzinfo=UTC)) == "2026-01-05T00:07-05:00"
