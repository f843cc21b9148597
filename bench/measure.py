"""Rounds and medians: each figure in the table is the median of several wrk runs.

A round lasts long enough for every connection to be served a few times, so that a slow page
is timed by all its requests and not only by the first lucky ones. Between rounds the server
gets time to finish the requests wrk left queued, so no round starts on a busy server.
"""

import math
import os
import statistics
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass

from bench.gunicorn_servers import MEASURED_WORKERS
from bench.processes import StartedProcesses
from bench.progress import say
from bench.wrk import CONNECTIONS
from bench.wrk import WrkRun
from bench.wrk import run_wrk

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
ROUND_SECONDS = float(os.environ.get("BENCH_ROUND_SECONDS", "4"))
MAX_ROUND_SECONDS = 20.0
# How many times each connection should be served in one round, at least.
TURNS_PER_ROUND = 3
# Loads templates, fills caches and opens connections in every worker before anything counts.
WARM_UP_SECONDS = 1.0
PROBES = 3


@dataclass(frozen=True)
class Pacing:
    round_seconds: float
    drain_seconds: float


@dataclass(frozen=True)
class Measurement:
    label: str
    runs: tuple[WrkRun, ...]
    round_seconds: float

    @property
    def requests_per_second(self) -> float:
        return statistics.median(run.requests_per_second for run in self.runs)

    @property
    def median_latency_ms(self) -> float:
        """The median over rounds of each round's p50; NaN if a round had no answer at all."""
        return statistics.median(run.median_latency_ms for run in self.runs)

    @property
    def failures(self) -> int:
        """Answers outside 2xx/3xx and socket errors (timeouts included), over all rounds."""
        return sum(run.bad_statuses + run.socket_errors for run in self.runs)

    @property
    def statuses(self) -> Counter:
        total: Counter = Counter()
        for run in self.runs:
            total.update(run.statuses)
        return total

    def rounds_summary(self) -> str:
        rates = ", ".join(f"{run.requests_per_second:.1f}" for run in self.runs)
        latencies = ", ".join(f"{run.median_latency_ms:.1f}" for run in self.runs)
        return (
            f"{self.label}: {self.round_seconds:.1f} s rounds; req/s [{rates}]; "
            f"p50 ms [{latencies}]; failures {self.failures}"
        )


def pacing_for(seconds_per_request: float) -> Pacing:
    # With every connection waiting, one turn takes this long on the measured workers.
    turn = seconds_per_request * CONNECTIONS / MEASURED_WORKERS
    wanted = math.ceil(TURNS_PER_ROUND * turn)
    round_seconds = min(MAX_ROUND_SECONDS, max(ROUND_SECONDS, wanted))
    return Pacing(round_seconds=round_seconds, drain_seconds=turn + 0.2)


def seconds_per_request(url: str, headers: Sequence[str] = (), body: bytes | None = None) -> float:
    """One reader alone: the median time of a few requests in a row (POSTs when given a body)."""
    request = urllib.request.Request(
        url, data=body, headers=dict(_split(header) for header in headers)
    )
    opener = urllib.request.build_opener(_KeepRedirects())
    timings = []
    for _ in range(PROBES):
        started = time.perf_counter()
        try:
            with opener.open(request, timeout=60) as response:
                response.read()
        except urllib.error.HTTPError as answer:
            if not 300 <= answer.code < 400:
                raise
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


class Baseline:
    """The yardstick, sampled all through the run rather than once at its start.

    The machine is shared and noisy: with a baseline round taken just before each measured
    figure, a noisy spell weighs on both sides of the ratios, not on one.
    """

    LABEL = "baseline: fixed 2 KB page"

    def __init__(self, processes: StartedProcesses, url: str) -> None:
        self.processes = processes
        self.url = url
        self.runs: list[WrkRun] = []
        self.pacing = pacing_for(seconds_per_request(url))
        run_wrk(processes, url, WARM_UP_SECONDS)
        time.sleep(self.pacing.drain_seconds)

    def sample(self, rounds: int = 1) -> None:
        for _ in range(rounds):
            run = run_wrk(self.processes, self.url, self.pacing.round_seconds)
            time.sleep(self.pacing.drain_seconds)
            self.runs.append(run)
            say(
                f"{self.LABEL}: sample {len(self.runs)}: {run.requests_per_second:.1f} req/s, "
                f"p50 {run.median_latency_ms:.1f} ms"
            )

    def measurement(self) -> Measurement:
        return Measurement(self.LABEL, tuple(self.runs), self.pacing.round_seconds)


def measure(
    processes: StartedProcesses,
    label: str,
    url: str,
    *,
    baseline: Baseline,
    pacing: Pacing | None = None,
    warm_up: bool = True,
    before_rounds: Callable[[], None] | None = None,
    **wrk_options,
) -> Measurement:
    """GETs are paced by a probe of the same URL; POST runs pass their own pacing.

    `before_rounds` runs once the warm-up is over, e.g. to count rows before the rounds add any.
    """
    if pacing is None:
        pacing = pacing_for(seconds_per_request(url, wrk_options.get("headers", ())))
    if warm_up:
        say(f"{label}: warming up")
        run_wrk(processes, url, WARM_UP_SECONDS, **wrk_options)
        time.sleep(pacing.drain_seconds)
    baseline.sample()
    if before_rounds is not None:
        before_rounds()
    runs = []
    for number in range(1, ROUNDS + 1):
        run = run_wrk(processes, url, pacing.round_seconds, **wrk_options)
        time.sleep(pacing.drain_seconds)
        say(
            f"{label}: round {number}/{ROUNDS} ({pacing.round_seconds:.1f} s): "
            f"{run.requests_per_second:.1f} req/s, p50 {run.median_latency_ms:.1f} ms"
        )
        runs.append(run)
    return Measurement(label, tuple(runs), pacing.round_seconds)


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """A 303 after a POST is the answer being timed; following it would time another page."""

    def redirect_request(self, *args, **kwargs):
        return None


def _split(header: str) -> tuple[str, str]:
    name, _, value = header.partition(":")
    return name.strip(), value.strip()
