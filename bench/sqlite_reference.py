"""The reference for comment throughput: how fast four processes can insert rows into SQLite.

It runs against a database that `init-db` made, so the table, indexes and settings are the
site's own; only the web layer is missing.
"""

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from app import PROJECT_ROOT
from bench.measure import ROUND_SECONDS
from bench.measure import ROUNDS
from bench.processes import StartedProcesses
from bench.progress import say

WRITERS = 4
# Time for every writer's Python to start before the clock begins.
START_DELAY_SECONDS = 1.5


@dataclass(frozen=True)
class InsertRate:
    rows_per_second_by_round: tuple[float, ...]

    @property
    def rows_per_second(self) -> float:
        return statistics.median(self.rows_per_second_by_round)


def measure_insert_rate(processes: StartedProcesses, database: Path) -> InsertRate:
    rates = []
    for number in range(1, ROUNDS + 1):
        start_at = time.time() + START_DELAY_SECONDS
        command = [
            sys.executable,
            "-m",
            "bench.sqlite_writer",
            str(database),
            str(start_at),
            str(ROUND_SECONDS),
        ]
        writers = [
            processes.start(command, stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
            for _ in range(WRITERS)
        ]
        stored = 0
        for writer in writers:
            output, _ = writer.communicate(timeout=ROUND_SECONDS + 60)
            processes.stop(writer)
            if writer.returncode != 0:
                raise RuntimeError(f"an SQLite writer failed ({writer.returncode})")
            stored += int(output.strip())
        rates.append(stored / ROUND_SECONDS)
        say(f"raw SQLite inserts: round {number}/{ROUNDS}: {rates[-1]:.0f} rows/s")
    return InsertRate(tuple(rates))
