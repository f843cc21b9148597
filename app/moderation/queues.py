"""What the desk lists: the five queues and the Editors' picks, their counts, filters, search
and paging.

Everything here is bounded: a page holds at most MODERATION_PAGE_SIZE cards, counts come
from the trigger-kept comment_status_counts table, and the queries per page do not grow
with the number of comments (the cards' extras are fetched for the whole page at once).
"""

import enum
import ipaddress
import math
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime

from sqlalchemy import Select
from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import true
from sqlalchemy.orm import aliased
from sqlalchemy.orm import selectinload

from app.automoderation.reasons import describe
from app.automoderation.reasons import describe_reports
from app.choices import SlugChoice
from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentReport
from app.models import CommentStatus
from app.models import CommentStatusCount
from app.models import UTCDateTime
from app.moderation.actions import ACTIONS
from app.moderation.actions import DELETE

# Word searches read the newest comments of the queue only, so they stay fast at any size;
# searching by an email address or an IP address uses an index and reaches every comment.
SEARCH_SCAN_LIMIT = 5000
FILTERED_COUNT_LIMIT = 1000
# A card counts at most this many of a commenter's comments (by email, by IP): a spammer
# with 100,000 comments, or one shared address, must not make every page count them all.
HISTORY_LIMIT = 100
# The history statement's other views of the comments table, made once rather than per page.
_NEWEST = aliased(Comment, name="newest")
_COUNTED = aliased(Comment, name="counted")
# Before every comment: where a value has no more than HISTORY_LIMIT, all of them count.
_EARLIEST = literal(datetime(1970, 1, 1, tzinfo=UTC), UTCDateTime())


class Queue(enum.Enum):
    PENDING = ("pending", "Pending", CommentStatus.PENDING, True)
    REPORTED = ("reported", "Reported", CommentStatus.APPROVED, True)
    APPROVED = ("approved", "Approved", CommentStatus.APPROVED, False)
    SPAM = ("spam", "Spam", CommentStatus.SPAM, False)
    TRASH = ("trash", "Trash", CommentStatus.TRASH, False)
    # Not a status of its own: the approved comments that are Editors' picks, newest pick first.
    PICKS = ("picks", "Picks", CommentStatus.APPROVED, False)

    def __init__(self, slug: str, label: str, status: CommentStatus, oldest_first: bool):
        self.slug = slug
        self.label = label
        self.status = status
        self.oldest_first = oldest_first

    @classmethod
    def by_slug(cls, slug: str) -> "Queue | None":
        return next((queue for queue in cls if queue.slug == slug), None)

    @property
    def heading(self) -> str:
        return "Editors’ picks" if self is Queue.PICKS else f"{self.label} comments"


class QueueOrder(SlugChoice):
    """How a queue is sorted: its own order, or by the spam filter's score either way
    (most likely spam first to clear it out, least likely first to approve a run of good
    ones). Comments without a score come last both ways."""

    USUAL = ("", "Oldest first")
    SPAM_FIRST = ("spam-first", "Most likely spam first")
    SPAM_LAST = ("spam-last", "Least likely spam first")


@dataclass(frozen=True)
class DeskFilter:
    article_id: int | None = None
    search: str = ""
    # "All comments from this email / IP", by the comment the moderator started from.
    email: str | None = None
    ip_address: str | None = None


# The order a commenter's history is told in.
HISTORY_ORDER = (
    CommentStatus.APPROVED,
    CommentStatus.PENDING,
    CommentStatus.SPAM,
    CommentStatus.TRASH,
)
# The desk's keyboard shortcuts (static/js/desk.js): a approve, s spam, t trash.
SHORTCUTS = {"approve": "a", "spam": "s", "trash": "t"}


@dataclass
class History:
    by_status: dict[CommentStatus, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def told(self) -> list[tuple[CommentStatus, int]]:
        """Every status in HISTORY_ORDER with its count, zeros included."""
        return [(status, self.by_status.get(status, 0)) for status in HISTORY_ORDER]

    @property
    def capped(self) -> bool:
        """More comments than we count: the figures are those of the newest HISTORY_LIMIT."""
        return self.total > HISTORY_LIMIT


@dataclass(frozen=True)
class CardButton:
    """One button on a card: a POST to `endpoint` with the status the moderator sees."""

    label: str
    endpoint: str
    values: dict
    style: str
    shortcut: str | None = None


@dataclass
class Card:
    """One comment on the desk with what a moderator needs beside it, and what may be done
    with it: the template draws the buttons it is given and decides nothing."""

    comment: Comment
    reasons: list[str]
    email_history: History
    ip_history: History
    has_open_reports: bool = False

    @property
    def spam_percent(self) -> int | None:
        """The spam filter's score as a whole percentage, rounded down like the hold reason."""
        score = self.comment.spam_score
        return None if score is None else math.floor(score * 100)

    @property
    def buttons(self) -> list[CardButton]:
        comment, status = self.comment, self.comment.status
        by_id = {"comment_id": comment.id}
        buttons = [
            CardButton(
                action.label,
                "moderation.act",
                {**by_id, "action_name": action.name},
                action.name,
                SHORTCUTS.get(action.name),
            )
            for action in ACTIONS.values()
            if status in action.allowed_from
        ]
        if status is CommentStatus.APPROVED:
            pick = "unpick" if comment.picked_at else "pick"
            buttons.append(CardButton(pick.capitalize(), f"moderation.{pick}", by_id, "pick"))
        if status in DELETE.allowed_from:
            buttons.append(
                CardButton(
                    DELETE.label, "moderation.act", {**by_id, "action_name": "delete"}, "spam"
                )
            )
        return buttons

    @property
    def can_be_answered(self) -> bool:
        """The newsroom answers pending (approving it) and approved comments, not its own."""
        return (
            self.comment.status in (CommentStatus.PENDING, CommentStatus.APPROVED)
            and not self.comment.staff_author
        )

    @property
    def answering_approves(self) -> bool:
        return self.comment.status is CommentStatus.PENDING


@dataclass
class DeskPage:
    cards: list[Card]
    number: int
    size: int
    has_next: bool
    # None when filtered: counting a filtered set exactly could scan the table.
    total: int | None
    total_is_lower_bound: bool = False

    @property
    def pages(self) -> int | None:
        return None if self.total is None else max(1, -(-self.total // self.size))


def article_choices(limit: int = 200) -> list[tuple[int, str]]:
    """The newest articles, for the desk's "filter by article" menu."""
    query = select(Article.id, Article.title).order_by(Article.published_at.desc()).limit(limit)
    return [(article_id, title) for article_id, title in db.session.execute(query)]


def queue_counts() -> dict[str, int]:
    counts = {row.status: row.total for row in db.session.scalars(select(CommentStatusCount))}
    # Both in one statement: the desk runs it on every page.
    reported, picks = db.session.execute(
        select(
            select(func.count(func.distinct(CommentReport.comment_id)))
            .where(CommentReport.resolved_at.is_(None))
            .scalar_subquery(),
            select(func.count())
            .select_from(Comment)
            .where(Comment.picked_at.is_not(None))
            .scalar_subquery(),
        )
    ).one()
    return {
        Queue.PENDING.slug: counts.get("pending", 0),
        Queue.REPORTED.slug: reported or 0,
        Queue.APPROVED.slug: counts.get("approved", 0),
        Queue.SPAM.slug: counts.get("spam", 0),
        Queue.TRASH.slug: counts.get("trash", 0),
        Queue.PICKS.slug: picks or 0,
    }


def desk_page(
    queue: Queue | None,
    desk_filter: DeskFilter,
    number: int,
    size: int,
    counts: dict[str, int],
    order: QueueOrder = QueueOrder.USUAL,
) -> DeskPage:
    """A page of cards. `queue` None lists every status (a commenter's history)."""
    query = _listing(queue, desk_filter, order)
    rows = db.session.scalars(
        query.options(
            # A card names the article and links to it; its text stays in the database.
            selectinload(Comment.article).load_only(Article.slug, Article.title),
            selectinload(Comment.parent),
            selectinload(Comment.staff_author),
        )
        .offset((number - 1) * size)
        .limit(size + 1)
    ).all()
    comments = rows[:size]
    unfiltered = desk_filter == DeskFilter() and queue not in (None, Queue.REPORTED)
    if unfiltered:
        total, lower_bound = counts[queue.slug], False
    else:
        total, lower_bound = _bounded_count(query)
    return DeskPage(
        cards=_cards(comments),
        number=number,
        size=size,
        has_next=len(rows) > size,
        total=total,
        total_is_lower_bound=lower_bound,
    )


def _listing(queue: Queue | None, desk_filter: DeskFilter, order: QueueOrder) -> Select:
    query = select(Comment)
    if queue is not None:
        query = query.where(Comment.status == queue.status)
    if queue is Queue.REPORTED:
        open_reports = select(CommentReport.comment_id).where(CommentReport.resolved_at.is_(None))
        query = query.where(Comment.id.in_(open_reports))
    if queue is Queue.PICKS:
        query = query.where(Comment.picked_at.is_not(None))
    if desk_filter.article_id:
        query = query.where(Comment.article_id == desk_filter.article_id)
    if desk_filter.email:
        query = query.where(Comment.author_email == desk_filter.email)
    if desk_filter.ip_address:
        query = query.where(Comment.ip_address == desk_filter.ip_address)
    if desk_filter.search:
        query = query.where(_search_condition(desk_filter.search, queue))
    oldest_first = queue.oldest_first if queue else False
    by_time = (
        (Comment.created_at, Comment.id)
        if oldest_first
        else (
            Comment.created_at.desc(),
            Comment.id.desc(),
        )
    )
    if queue is Queue.PICKS:
        return query.order_by(Comment.picked_at.desc(), Comment.id.desc())
    if order is QueueOrder.SPAM_FIRST:
        return query.order_by(Comment.spam_score.desc().nulls_last(), *by_time)
    if order is QueueOrder.SPAM_LAST:
        return query.order_by(Comment.spam_score.asc().nulls_last(), *by_time)
    return query.order_by(*by_time)


def _search_condition(term: str, queue: Queue | None):
    term = term.strip()
    try:
        ipaddress.ip_address(term)
    except ValueError:
        pass
    else:
        return Comment.ip_address == term
    if "@" in term and " " not in term:
        local, _, domain = term.rpartition("@")
        return Comment.author_email.in_({term, f"{local}@{domain.lower()}"})
    newest = select(Comment.id).order_by(Comment.id.desc()).limit(SEARCH_SCAN_LIMIT)
    if queue is not None:
        newest = newest.where(Comment.status == queue.status)
    pattern = f"%{_escape_like(term)}%"
    return or_(
        Comment.author_name == term,
        Comment.id.in_(newest.scalar_subquery())
        & or_(
            Comment.body_raw.ilike(pattern, escape="\\"),
            Comment.author_name.ilike(pattern, escape="\\"),
            Comment.author_website.ilike(pattern, escape="\\"),
        ),
    )


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _bounded_count(query: Select) -> tuple[int, bool]:
    limited = query.order_by(None).with_only_columns(Comment.id).limit(FILTERED_COUNT_LIMIT + 1)
    found = db.session.scalar(select(func.count()).select_from(limited.subquery()))
    return min(found, FILTERED_COUNT_LIMIT), found > FILTERED_COUNT_LIMIT


def _cards(comments: list[Comment]) -> list[Card]:
    ids = [comment.id for comment in comments]
    report_counts: dict[int, list] = defaultdict(list)
    if ids:
        rows = db.session.execute(
            select(CommentReport.comment_id, CommentReport.reason, func.count())
            .where(CommentReport.comment_id.in_(ids), CommentReport.resolved_at.is_(None))
            .group_by(CommentReport.comment_id, CommentReport.reason)
        )
        for comment_id, reason, count in rows:
            report_counts[comment_id].append((reason, count))
    email_history = _history(Comment.author_email, ids)
    ip_history = _history(Comment.ip_address, ids)

    cards = []
    for comment in comments:
        by_email = email_history.get(comment.author_email, History())
        reasons = [describe(code) for code in comment.moderation_reasons]
        if comment.author_email and not by_email.by_status.get(CommentStatus.APPROVED):
            reasons.append(describe("first_comment"))
        reports = report_counts.get(comment.id, [])
        reasons += describe_reports(reports)
        cards.append(
            Card(
                comment,
                reasons,
                by_email,
                ip_history.get(comment.ip_address, History()),
                has_open_reports=bool(reports),
            )
        )
    return cards


def _history(column, comment_ids: list[int]) -> dict[str, History]:
    """For each value `column` has among these comments, its newest comments counted by status,
    in one statement, each value's count bounded.

    The statement has the same shape however many values there are, so SQLAlchemy compiles
    and keeps it once. A union of one subquery per value, as before, was a new statement of
    about 1 MB in every worker's compiled cache for each number of values a page happened to
    have.
    """
    histories: dict[str, History] = defaultdict(History)
    if not comment_ids:
        return histories
    values = (
        select(column.label("value"))
        .where(Comment.id.in_(comment_ids), column.is_not(None), column != "")
        .group_by(column)
        .subquery()
    )
    newest_of_value = (
        select(_NEWEST.id, _NEWEST.status)
        .where(getattr(_NEWEST, column.key) == values.c.value)
        .order_by(_NEWEST.created_at.desc())
        .limit(HISTORY_LIMIT + 1)
    )
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite has no LATERAL. Per value, one index search finds the time of its newest
        # comment but HISTORY_LIMIT, and the comments since then are counted from the index
        # (value, created_at, status) without reading a row: reading each counted row by its
        # id cost 8 ms of the desk's page at 100,000 comments. Comments sharing that exact time
        # are all counted, so a capped figure may count one or two more than the limit.
        oldest_counted = (
            newest_of_value.with_only_columns(_NEWEST.created_at)
            .offset(HISTORY_LIMIT)
            .limit(1)
            .correlate(values)
            .scalar_subquery()
        )
        rows = values.join(
            _COUNTED,
            and_(
                getattr(_COUNTED, column.key) == values.c.value,
                _COUNTED.created_at >= func.coalesce(oldest_counted, _EARLIEST),
            ),
        )
        status = _COUNTED.status
    else:
        newest_rows = newest_of_value.lateral()
        rows = values.join(newest_rows, true())
        status = newest_rows.c.status
    statement = (
        select(values.c.value, status, func.count())
        .select_from(rows)
        .group_by(values.c.value, status)
    )
    for value, status_found, count in db.session.execute(statement):
        histories[value].by_status[CommentStatus(status_found)] = count
    return histories
