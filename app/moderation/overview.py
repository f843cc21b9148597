"""The desk's overview: decisions per day and how long comments wait, over 30 days."""

from array import array
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Comment
from app.models import CommentStatus
from app.models import ModerationEvent
from app.models import utcnow

DAYS = 30
DECISIONS = (CommentStatus.APPROVED, CommentStatus.SPAM, CommentStatus.TRASH)
STREAMED_ROWS = 1000
ONE_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class DayBar:
    day: date
    decisions: int
    # Where the bar sits in the chart, in SVG units.
    x: int
    height: int


@dataclass(frozen=True)
class Overview:
    bars: list[DayBar]
    total_decisions: int
    busiest: int
    median_wait: timedelta | None
    chart_width: int
    chart_height: int


def last_30_days() -> Overview:
    since = utcnow() - timedelta(days=DAYS)
    # Decisions on pending comments: the first call a moderator made on each. Streamed, not
    # loaded at once: a month of bulk spam can be 100,000 decisions, which as rows and
    # timedeltas took a worker 40 MB beyond its usual size.
    rows = db.session.execute(
        select(ModerationEvent.created_at, Comment.created_at)
        .join(Comment, Comment.id == ModerationEvent.comment_id, isouter=True)
        .where(
            ModerationEvent.created_at >= since,
            ModerationEvent.from_status == CommentStatus.PENDING,
            ModerationEvent.to_status.in_(DECISIONS),
        )
        .execution_options(yield_per=STREAMED_ROWS)
    )
    zone = current_app.config["SITE_TIMEZONE"]
    today = utcnow().astimezone(zone).date()
    per_day = {today - timedelta(days=offset): 0 for offset in range(DAYS)}
    # Microseconds, 8 bytes each, rather than a timedelta object each.
    waits = array("q")
    for decided_at, written_at in rows:
        day = decided_at.astimezone(zone).date()
        if day in per_day:
            per_day[day] += 1
        if written_at is not None:
            waits.append((decided_at - written_at) // ONE_MICROSECOND)
    import statistics  # here, not at the top: only this page needs it (with fractions)

    busiest = max(per_day.values(), default=0)
    bar_width, chart_height = 16, 120
    bars = [
        DayBar(
            day=day,
            decisions=count,
            x=index * bar_width,
            height=round(chart_height * count / busiest) if busiest else 0,
        )
        for index, (day, count) in enumerate(sorted(per_day.items()))
    ]
    return Overview(
        bars=bars,
        total_decisions=sum(per_day.values()),
        busiest=busiest,
        median_wait=timedelta(microseconds=statistics.median(waits)) if waits else None,
        chart_width=bar_width * DAYS,
        chart_height=chart_height,
    )
