"""Rounds and medians: each figure in the table is the median of several short wrk runs."""

import os
import statistics
from collections import Counter
from dataclasses import dataclass

from bench.processes import StartedProcesses
from bench.progress import say
from bench.wrk import WrkRun
from bench.wrk import run_wrk

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
ROUND_SECONDS = float(os.environ.get("BENCH_ROUND_SECONDS", "4"))
# Loads templates, fills caches and opens connections in every worker before anything counts.
WARM_UP_SECONDS = 1.0


@dataclass(frozen=True)
class Measurement:
    label: str
    runs: tuple[WrkRun, ...]

    @property
    def requests_per_second(self) -> float:
        return statistics.median(run.requests_per_second for run in self.runs)

    @property
    def median_latency_ms(self) -> float:
        return statistics.median(run.median_latency_ms for run in self.runs)

    @property
    def responses(self) -> int:
        return sum(run.responses for run in self.runs)

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
        return f"{self.label}: req/s [{rates}]; p50 ms [{latencies}]; failures {self.failures}"


def measure(
    processes: StartedProcesses, label: str, url: str, *, warm_up: bool = True, **wrk_options
) -> Measurement:
    if warm_up:
        say(f"{label}: warming up")
        run_wrk(processes, url, WARM_UP_SECONDS, **wrk_options)
    runs = []
    for number in range(1, ROUNDS + 1):
        run = run_wrk(processes, url, ROUND_SECONDS, **wrk_options)
        say(
            f"{label}: round {number}/{ROUNDS}: {run.requests_per_second:.1f} req/s, "
            f"p50 {run.median_latency_ms:.1f} ms"
        )
        runs.append(run)
    return Measurement(label, tuple(runs))
