"""The one table: every figure, its ratio to the same run's baseline, and each target's verdict."""

import os
from collections.abc import Sequence

from bench.gunicorn_servers import MEASURED_WORKERS
from bench.measure import ROUND_SECONDS
from bench.measure import ROUNDS
from bench.measure import Measurement
from bench.results import Results
from bench.sqlite_reference import WRITERS
from bench.wrk import CONNECTIONS
from bench.wrk import THREADS

# The targets of issue 14 (one public copy of each page), and those of issue 7 it kept.
ARTICLE_SHARE_OF_BASELINE = 0.9
NGINX_ARTICLE_SHARE_OF_BASELINE = 5.0
# The private page must not fall below what the article page did before issue 14.
PRIVATE_ARTICLE_SHARE_OF_BASELINE = 0.28
ARTICLE_OVER_ISSO_GET = 10.0
LONG_ARTICLE_LATENCY_LIMIT = 1.2
POSTS_OVER_ISSO_POST = 2.0
LARGE_QUEUE_LATENCY_LIMIT = 1.5
WORKER_MEMORY_OVER_FLOOR = 1.15

HEADINGS = ("row", "measure", "req/s", "÷ baseline", "p50 ms", "compared", "target", "result")
NUMERIC_COLUMNS = {2, 3, 4}


def verdict(passed: bool) -> str:
    return "pass" if passed else "short"


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("inf")


def table(results: Results) -> str:
    base = results.baseline.requests_per_second

    def speed(tag: str, measurement: Measurement, *rest: str) -> list[str]:
        rate = measurement.requests_per_second
        return [
            tag,
            measurement.label,
            f"{rate:,.1f}",
            f"{ratio(rate, base):.3g}",
            f"{measurement.median_latency_ms:,.1f}",
            *rest,
        ]

    def note(tag: str, label: str, compared: str, target: str, passed: bool) -> list[str]:
        return [tag, label, "", "", "", compared, target, verdict(passed)]

    article_share = ratio(results.article.requests_per_second, base)
    nginx_share = ratio(results.nginx_article.requests_per_second, base)
    private_share = ratio(results.private_article.requests_per_second, base)
    over_isso_get = ratio(results.article.requests_per_second, results.isso_get.requests_per_second)
    long_latency = ratio(results.long_article.median_latency_ms, results.article.median_latency_ms)
    posts = results.comment_posts.requests_per_second
    over_isso_post = ratio(posts, results.isso_post.requests_per_second)
    raw_rate = results.raw_inserts.rows_per_second
    queue_latency = ratio(
        results.large_queue.median_latency_ms, results.small_queue.median_latency_ms
    )
    lost = results.lost_comments
    rss = site_worker_rss_mb(results)
    floor_rss = results.floor.peak_worker_rss_mb
    rss_over_floor = ratio(rss, floor_rss) if rss and floor_rss else None
    rss_by_site = (
        f"(articles {_megabytes(results.articles_site_rss_mb)}, "
        f"queue {_megabytes(results.queue_site_rss_mb)}, floor {_megabytes(floor_rss)})"
    )

    def share(tag: str, measurement: Measurement, share: float, target: float) -> list[str]:
        return speed(
            tag,
            measurement,
            f"{share:.3g} × baseline",
            f"≥ {target:g} × baseline",
            verdict(share >= target),
        )

    rows = [
        speed("base", results.baseline, "", "", ""),
        share("(a)", results.article, article_share, ARTICLE_SHARE_OF_BASELINE),
        note(
            "(a)",
            "  over Isso's GET of the same 50",
            f"{over_isso_get:.3g} × Isso",
            f"≥ {ARTICLE_OVER_ISSO_GET:g} × Isso",
            over_isso_get >= ARTICLE_OVER_ISSO_GET,
        ),
        share("(a-nginx)", results.nginx_article, nginx_share, NGINX_ARTICLE_SHARE_OF_BASELINE),
        share(
            "(a-private)",
            results.private_article,
            private_share,
            PRIVATE_ARTICLE_SHARE_OF_BASELINE,
        ),
        speed(
            "(b)",
            results.long_article,
            f"p50 {long_latency:.3g} × (a)'s",
            f"≤ {LONG_ARTICLE_LATENCY_LIMIT:g} × (a)'s",
            verdict(long_latency <= LONG_ARTICLE_LATENCY_LIMIT),
        ),
        speed(
            "(c)",
            results.comment_posts,
            f"{over_isso_post:.3g} × Isso's POST",
            f"≥ {POSTS_OVER_ISSO_POST:g} × Isso",
            verdict(over_isso_post >= POSTS_OVER_ISSO_POST),
        ),
        note(
            "(c)",
            "  lost comments",
            f"{lost.lost:,} of {lost.answered:,} answered",
            "0",
            lost.lost == 0,
        ),
        [
            "(c)",
            "  over raw SQLite inserts (for reference)",
            "",
            "",
            "",
            f"{ratio(posts, raw_rate):.3g} × raw rate",
            "",
            "",
        ],
        speed("(d)", results.small_queue, "", "", ""),
        speed(
            "(d)",
            results.large_queue,
            f"p50 {queue_latency:.3g} × 1,000's",
            f"≤ {LARGE_QUEUE_LATENCY_LIMIT:g} × 1,000's",
            verdict(queue_latency <= LARGE_QUEUE_LATENCY_LIMIT),
        ),
        note(
            "(e)",
            f"peak RSS of one worker (VmHWM): {_megabytes(rss)}",
            "unknown"
            if rss_over_floor is None
            else f"{rss_over_floor:.3g} × floor's {rss_by_site}",
            f"≤ {WORKER_MEMORY_OVER_FLOOR:g} × floor's",
            rss_over_floor is not None and rss_over_floor <= WORKER_MEMORY_OVER_FLOOR,
        ),
        speed("peer", results.isso_get, "", "", ""),
        speed("peer", results.isso_post, "", "", ""),
        [
            "ref",
            f"raw SQLite inserts, {WRITERS} processes, WAL (rows/s)",
            f"{raw_rate:,.1f}",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "ref",
            "peak RSS of one worker: baseline / Isso",
            "",
            "",
            "",
            f"{_megabytes(results.baseline_rss_mb)} / {_megabytes(results.isso_rss_mb)}",
            "",
            "",
        ],
    ]
    if results.production_article is not None:
        rows.append(speed("prod", results.production_article, "", "", ""))
    rows.extend(_floor_rows(results, speed))

    lines = [
        f"Benchmark: {ROUNDS} rounds of {ROUND_SECONDS:g} s or more per figure (median shown), "
        f"wrk -t{THREADS} -c{CONNECTIONS}, {MEASURED_WORKERS} sync gunicorn workers per server; "
        "the baseline is sampled before every figure.",
        _production_line(results),
        "",
        *_aligned(rows),
        "",
        *_warnings(results),
        f"Took {results.seconds / 60:.1f} minutes; load average {results.load_average[0]:.2f} "
        f"at the start, {results.load_average[1]:.2f} at the end (on {os.cpu_count()} cores).",
    ]
    return "\n".join(lines) + "\n"


def site_worker_rss_mb(results: Results) -> float | None:
    """The larger of the two sites' peaks: (e) is about any worker of ours."""
    peaks = [peak for peak in (results.articles_site_rss_mb, results.queue_site_rss_mb) if peak]
    return max(peaks) if peaks else None


def _floor_rows(results: Results, speed) -> list[list[str]]:
    """What no site on this stack can beat, and how far ours is from it."""
    floor = results.floor
    floor_page = floor.page.requests_per_second
    floor_posts = floor.posts.requests_per_second
    isso_posts = results.isso_post.requests_per_second
    raw_rate = results.raw_inserts.rows_per_second
    return [
        speed(
            "floor",
            floor.page,
            f"(a) is {ratio(results.article.requests_per_second, floor_page):.3g} × this",
            "",
            "",
        ),
        speed(
            "floor",
            floor.posts,
            f"(c) is {ratio(results.comment_posts.requests_per_second, floor_posts):.3g} × this; "
            f"this is {ratio(floor_posts, isso_posts):.3g} × Isso, "
            f"{ratio(floor_posts, raw_rate):.3g} × raw",
            "",
            "",
        ),
        [
            "floor",
            "floor: peak RSS of one worker, the stack imported",
            "",
            "",
            "",
            _megabytes(floor.peak_worker_rss_mb),
            "",
            "",
        ],
    ]


def rounds_detail(results: Results) -> str:
    """Every round's figures, for reading the noise behind a median."""
    measurements = [
        results.baseline,
        results.article,
        results.nginx_article,
        results.private_article,
        results.long_article,
        results.comment_posts,
        results.isso_get,
        results.isso_post,
        results.small_queue,
        results.large_queue,
    ]
    if results.production_article is not None:
        measurements.append(results.production_article)
    measurements += [results.floor.page, results.floor.posts]
    lines = ["Rounds:", *(f"  {measurement.rounds_summary()}" for measurement in measurements)]
    rates = ", ".join(f"{rate:.0f}" for rate in results.raw_inserts.rows_per_second_by_round)
    lines.append(f"  raw SQLite inserts: rows/s [{rates}]")
    lost = results.lost_comments
    lines.append(
        f"  comment POSTs: {lost.answered} answered, {lost.accepted} with 303, "
        f"{lost.stored} rows stored; statuses {dict(results.comment_posts.statuses)}"
    )
    return "\n".join(lines) + "\n"


def _production_line(results: Results) -> str:
    production = results.production
    described = f"Production workers (gunicorn.conf.py): {production.describe()}"
    if production.same_as_measured:
        return described + "; the same worker class as measured."
    return described + "; row 'prod' is (a) served with that worker class."


def _warnings(results: Results) -> list[str]:
    reads = [
        results.baseline,
        results.article,
        results.nginx_article,
        results.private_article,
        results.long_article,
        results.isso_get,
        results.small_queue,
        results.large_queue,
        results.isso_post,
        results.floor.page,
        results.floor.posts,
    ]
    warnings = [
        f"Warning: {measurement.label}: {measurement.failures} failed requests "
        "(non-2xx/3xx answers or socket errors); its figure is suspect."
        for measurement in reads
        if measurement.failures
    ]
    warnings += [f"Warning: {warning}" for warning in results.page_warnings]
    busiest = max(results.load_average)
    if busiest > (os.cpu_count() or 1):
        warnings.append(
            f"Warning: other programs kept the machine busy (load average up to {busiest:.2f}); "
            "ratios hold up better than raw figures, but run again on a quiet machine to be sure."
        )
    return warnings


def _megabytes(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.1f} MB"


def _aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    all_rows = [HEADINGS, *rows]
    widths = [max(len(row[column]) for row in all_rows) for column in range(len(HEADINGS))]

    def line(row: Sequence[str]) -> str:
        cells = [
            cell.rjust(width) if column in NUMERIC_COLUMNS else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "| " + " | ".join(cells) + " |"

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return [line(HEADINGS), separator, *(line(row) for row in rows)]
