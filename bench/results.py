"""What one run of the benchmark found, handed from the run to the report."""

from dataclasses import dataclass

from bench.gunicorn_servers import ProductionWorkers
from bench.measure import Measurement
from bench.sqlite_reference import InsertRate


@dataclass(frozen=True)
class LostComments:
    answered: int
    accepted: int
    stored: int

    @property
    def refused(self) -> int:
        """Answers other than 303: the reader's comment was not taken."""
        return self.answered - self.accepted

    @property
    def lost(self) -> int:
        # Stored rows may exceed accepted answers: wrk stops before reading the last replies.
        return self.refused + max(0, self.accepted - self.stored)


@dataclass(frozen=True)
class Floor:
    """The stack's least cost (bench/floor_app.py): the same page, and a bare comment POST."""

    page: Measurement
    posts: Measurement
    peak_worker_rss_mb: float | None


@dataclass(frozen=True)
class ArticlesSite:
    """What the site that serves (a), (a-nginx), (a-private), (b) and (c) gave."""

    article: Measurement
    nginx_article: Measurement
    private_article: Measurement
    long_article: Measurement
    comment_posts: Measurement
    lost_comments: LostComments
    peak_worker_rss_mb: float | None
    # The demo article's page as a new reader got it, for the floor to serve.
    page: str
    # Pages that were not what their rows claim to measure (a cookie on the public copy, say).
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Results:
    production: ProductionWorkers
    baseline: Measurement
    article: Measurement
    nginx_article: Measurement
    private_article: Measurement
    long_article: Measurement
    comment_posts: Measurement
    lost_comments: LostComments
    isso_get: Measurement
    isso_post: Measurement
    raw_inserts: InsertRate
    small_queue: Measurement
    large_queue: Measurement
    # Peak RSS of one worker on the site that served (a)-(c), and on the one that served (d).
    articles_site_rss_mb: float | None
    queue_site_rss_mb: float | None
    baseline_rss_mb: float | None
    isso_rss_mb: float | None
    production_article: Measurement | None
    floor: Floor
    page_warnings: tuple[str, ...]
    # The machine's 1-minute load average when the run started and when it ended.
    load_average: tuple[float, float]
    seconds: float
