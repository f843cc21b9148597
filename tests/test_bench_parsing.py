"""The benchmark's arithmetic, without running it: wrk's output and lost comments."""

import math

import pytest

from bench.__main__ import bench_arguments
from bench.results import LostComments
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
