"""The desk at 100,000 comments: the same few SQL statements per page as at 1,000."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy import select

from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentStatus
from app.models import utcnow
from app.moderation.queues import queue_counts
from app.sanitize import clean_comment
from tests.helpers import counted_statements

pytestmark = pytest.mark.slow


def seed(app, slug: str, how_many: int) -> None:
    """Comments straight into the table, in every status, from many emails and one IP."""
    statuses = [
        CommentStatus.PENDING,
        CommentStatus.APPROVED,
        CommentStatus.SPAM,
        CommentStatus.TRASH,
    ]
    start = utcnow() - timedelta(days=30)
    with app.app_context():
        article_id = db.session.scalar(select(Article.id).where(Article.slug == slug))
        body = "A comment that says something about the council and the park."
        html = clean_comment(body)
        rows = [
            {
                "article_id": article_id,
                "author_name": f"Reader {number % 5000}",
                "author_email": f"reader{number % 5000}@example.org",
                "ip_address": "10.0.0.1",
                "body_raw": body,
                "body_html": html,
                "status": statuses[number % 4].value,
                "moderation_reasons": [],
                "created_at": start + timedelta(seconds=number),
            }
            for number in range(how_many)
        ]
        for first in range(0, how_many, 20_000):
            db.session.execute(insert(Comment.__table__), rows[first : first + 20_000])
        db.session.commit()


@pytest.mark.parametrize("url", ["/moderation/", "/moderation/approved", "/moderation/spam?page=3"])
def test_queue_pages_run_the_same_statements_at_1000_and_100000(app, desk, article, url):
    seed(app, article, 1000)
    with counted_statements(app) as small:
        assert desk.client.get(url).status_code == 200
    seed(app, article, 100_000)
    with counted_statements(app) as large:
        page = desk.client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('class="queue-item"') == 50
    # Every seeded comment shares one IP address: its history is counted up to a bound.
    assert "This IP: more than 100 comments; the newest of them:" in html
    assert len(large) == len(small)
    # As tests/test_query_counts.py allows: the pending queue also reads the spam filter's totals.
    assert len(large) <= 11
    # No count over a whole status: the queue sizes come from the trigger-kept table.
    whole_status_count = re.compile(r"count\(\*\).*FROM comments\s+WHERE comments\.status", re.S)
    assert not any(whole_status_count.search(statement) for statement in large)


def test_counts_come_from_the_kept_table_and_are_right(app, article):
    seed(app, article, 10_000)
    with app.app_context():
        counts = queue_counts()
    assert counts["pending"] == counts["approved"] == counts["spam"] == counts["trash"] == 2500
