"""The benchmark's arithmetic, without running it: wrk's output, lost comments, the table."""

import math

import pytest

from bench import spam_filter as spam_filter_bench
from bench.__main__ import bench_arguments
from bench.gunicorn_servers import ProductionWorkers
from bench.measure import Measurement
from bench.readers import cookie_header_after
from bench.report import table
from bench.results import Floor
from bench.results import LostComments
from bench.results import Results
from bench.sqlite_reference import InsertRate
from bench.wrk import WrkRun
from bench.wrk import parse_wrk_output

WRK_OUTPUT_WITH_STATUS_LINES = """\
Running 4s test @ http://127.0.0.1:40001/articles/demo/comments
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   105.20ms   20.11ms 250.00ms   70.00%
    Req/Sec    75.00     10.00   100.00     60.00%
  Latency Distribution
     50%  101.50ms
     75%  115.00ms
     90%  130.00ms
     99%  200.00ms
  600 requests in 4.01s, 1.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    149.63
Transfer/sec:    255.00KB
status 303 596
status 500 4
"""


def test_wrk_output_gives_rate_median_latency_and_every_status():
    run = parse_wrk_output(WRK_OUTPUT_WITH_STATUS_LINES)

    assert run.requests_per_second == 149.63
    assert run.median_latency_ms == 101.5
    assert run.responses == 600
    assert run.bad_statuses == 4
    assert run.socket_errors == 3
    assert run.statuses == {303: 596, 500: 4}


def test_latency_in_seconds_is_read_as_milliseconds():
    output = WRK_OUTPUT_WITH_STATUS_LINES.replace("50%  101.50ms", "50%    1.95s")

    assert parse_wrk_output(output).median_latency_ms == 1950.0


def test_a_run_without_any_answer_has_no_latency():
    output = "  0 requests in 4.00s, 0.00B read\nRequests/sec:      0.00\n"

    assert math.isnan(parse_wrk_output(output).median_latency_ms)


def test_refused_and_unstored_comments_are_lost_but_late_answers_are_not():
    assert LostComments(answered=600, accepted=596, stored=596).lost == 4
    assert LostComments(answered=600, accepted=600, stored=598).lost == 2
    # wrk stops before reading the last answers: more rows than 303s is no loss.
    assert LostComments(answered=600, accepted=600, stored=612).lost == 0


def test_asking_the_benchmark_for_help_explains_it_and_starts_nothing(capsys):
    with pytest.raises(SystemExit) as stopped:
        bench_arguments(["--help"])

    assert stopped.value.code == 0
    assert "BENCH_ROUNDS" in capsys.readouterr().out


def test_an_unknown_argument_is_refused_before_anything_starts(capsys):
    with pytest.raises(SystemExit) as stopped:
        bench_arguments(["--rounds", "2"])

    assert stopped.value.code == 2
    assert "unrecognized arguments: --rounds 2" in capsys.readouterr().err


def measured(label: str, requests_per_second: float, median_latency_ms: float = 5.0):
    run = WrkRun(requests_per_second, median_latency_ms, 1000, 0, 0)
    return Measurement(label, (run, run), 4.0)


def results_with(**changes) -> Results:
    """A run where every target of issue 14 passes, changed where a test says."""
    figures = {
        "production": ProductionWorkers("sync", 1, 5, False),
        "baseline": measured("baseline", 5000),
        "article": measured("(a)", 4600),
        "nginx_article": measured("(a-nginx)", 26000),
        "private_article": measured("(a-private)", 1500),
        "long_article": measured("(b)", 4500, median_latency_ms=5.5),
        "comment_posts": measured("(c)", 400),
        "lost_comments": LostComments(answered=1600, accepted=1600, stored=1600),
        "isso_get": measured("Isso GET", 300),
        "isso_post": measured("Isso POST", 150),
        "raw_inserts": InsertRate((2000.0, 2100.0)),
        "small_queue": measured("(d) 1,000", 300, median_latency_ms=50),
        "large_queue": measured("(d) 100,000", 280, median_latency_ms=60),
        "articles_site_rss_mb": 50.0,
        "queue_site_rss_mb": 52.0,
        "baseline_rss_mb": 30.0,
        "isso_rss_mb": 40.0,
        "production_article": None,
        "floor": Floor(measured("floor page", 5500), measured("floor posts", 800), 48.0),
        "page_warnings": (),
        "load_average": (1.0, 1.0),
        "seconds": 360.0,
    }
    return Results(**{**figures, **changes})


def table_row(printed: str, row: str, measure: str = "") -> list[str]:
    for line in printed.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) > 1 and cells[0] == row and cells[1].startswith(measure):
            return cells
    raise LookupError(f"no row {row} {measure!r} in:\n{printed}")


def test_every_target_of_issue_14_is_printed_with_its_ratio_and_a_pass():
    printed = table(results_with())

    assert table_row(printed, "(a)", "(a)")[5:] == ["0.92 × baseline", "≥ 0.9 × baseline", "pass"]
    assert table_row(printed, "(a-nginx)")[5:] == ["5.2 × baseline", "≥ 5 × baseline", "pass"]
    assert table_row(printed, "(a-private)")[5:] == ["0.3 × baseline", "≥ 0.28 × baseline", "pass"]
    assert table_row(printed, "(c)", "(c)")[5:] == ["2.67 × Isso's POST", "≥ 2 × Isso", "pass"]
    (memory,) = [row for row in printed.splitlines() if row.startswith("| (e)")]
    assert "1.08 × floor's" in memory and "≤ 1.15 × floor's" in memory and "pass" in memory


@pytest.mark.parametrize(
    ("changes", "row", "measure"),
    [
        ({"article": measured("(a)", 4400)}, "(a)", "(a)"),
        ({"nginx_article": measured("(a-nginx)", 24000)}, "(a-nginx)", ""),
        ({"private_article": measured("(a-private)", 1350)}, "(a-private)", ""),
        ({"comment_posts": measured("(c)", 290)}, "(c)", "(c)"),
        ({"lost_comments": LostComments(1600, 1599, 1599)}, "(c)", "lost"),
        ({"queue_site_rss_mb": 56.0}, "(e)", ""),
    ],
)
def test_a_figure_below_its_target_is_short(changes, row, measure):
    assert table_row(table(results_with(**changes)), row, measure)[-1] == "short"


def test_raw_inserts_are_printed_for_reference_without_a_target():
    cells = table_row(table(results_with()), "(c)", "over raw SQLite inserts")

    assert cells[5:] == ["0.195 × raw rate", "", ""]


def test_a_worker_of_unknown_size_is_short_not_an_error():
    printed = table(results_with(floor=Floor(measured("p", 1), measured("q", 1), None)))

    assert table_row(printed, "(e)")[-1] == "short"


def test_a_page_that_is_not_what_its_row_measures_is_named_under_the_table():
    warning = "(a) a new reader's page is not what the row measures: it sets a cookie."

    printed = table(results_with(page_warnings=(warning,)))

    assert f"Warning: {warning}" in printed


@pytest.mark.parametrize(
    ("caught", "held", "result"),
    [(0.90, 0.03, "pass"), (0.954, 0.011, "pass"), (0.863, 0.017, "short"), (0.95, 0.031, "short")],
)
def test_the_spam_filter_benchmark_says_whether_each_figure_meets_the_target(caught, held, result):
    assert spam_filter_bench.verdict(caught, held).endswith(result)


def test_the_private_reader_sends_the_cookie_the_site_sent_last_as_a_browser_does():
    first = "session=first.value; other=kept"
    after = cookie_header_after(
        first, ["session=second.value; HttpOnly; Path=/; SameSite=Lax", "gone=; Max-Age=0"]
    )
    assert after == "session=second.value; other=kept"
    assert cookie_header_after(first, []) == first
