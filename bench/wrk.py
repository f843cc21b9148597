"""The load generator: wrk, from Debian's packages, run as a separate process and parsed."""

import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from bench.processes import StartedProcesses

LUA_FOLDER = Path(__file__).resolve().parent / "lua"
THREADS = 2
CONNECTIONS = 16
# Long enough that a slow page is measured as slow, not dropped as a timeout.
REQUEST_TIMEOUT = "30s"

_UNIT_TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_REQUESTS_PER_SECOND = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_REQUESTS_DONE = re.compile(r"^\s+(\d+) requests in", re.MULTILINE)
_MEDIAN_LATENCY = re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_BAD_STATUS = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
# Printed by our Lua scripts' done(): one line per HTTP status.
_STATUS_COUNT = re.compile(r"^status (\d+) (\d+)$", re.MULTILINE)


@dataclass(frozen=True)
class WrkRun:
    requests_per_second: float
    median_latency_ms: float
    responses: int
    bad_statuses: int
    socket_errors: int
    statuses: dict[int, int] = field(default_factory=dict)


def ensure_installed() -> str:
    """wrk's path, installing Debian's package first if it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("bench: wrk is missing; installing Debian's package", file=sys.stderr)
    as_root = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*as_root, "apt-get", "update"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [*as_root, "apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL
    )
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("apt-get installed wrk, but it is not on PATH")
    return found


def run_wrk(
    processes: StartedProcesses,
    url: str,
    seconds: float,
    *,
    headers: Sequence[str] = (),
    lua_script: str | None = None,
    script_arguments: Sequence[str] | Callable[[], Sequence[str]] = (),
) -> WrkRun:
    # A callable makes the arguments afresh for each run (the POST run's new stamps).
    if callable(script_arguments):
        script_arguments = script_arguments()
    command = [
        shutil.which("wrk") or "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        # wrk takes whole seconds only.
        f"-d{math.ceil(seconds)}s",
        f"--timeout={REQUEST_TIMEOUT}",
        "--latency",
    ]
    for header in headers:
        command += ["-H", header]
    if lua_script:
        command += ["-s", str(LUA_FOLDER / lua_script)]
    command.append(url)
    if script_arguments:
        command += ["--", *script_arguments]
    process = processes.start(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = process.communicate(timeout=seconds + 60)
    finally:
        processes.stop(process)
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}):\n{output}")
    return parse_wrk_output(output)


def parse_wrk_output(output: str) -> WrkRun:
    rate = _REQUESTS_PER_SECOND.search(output)
    done = _REQUESTS_DONE.search(output)
    if not rate or not done:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    latency = _MEDIAN_LATENCY.search(output)
    median_ms = float(latency.group(1)) * _UNIT_TO_MS[latency.group(2)] if latency else float("nan")
    bad = _BAD_STATUS.search(output)
    socket_errors = _SOCKET_ERRORS.search(output)
    return WrkRun(
        requests_per_second=float(rate.group(1)),
        median_latency_ms=median_ms,
        responses=int(done.group(1)),
        bad_statuses=int(bad.group(1)) if bad else 0,
        socket_errors=sum(map(int, socket_errors.groups())) if socket_errors else 0,
        statuses={int(code): int(count) for code, count in _STATUS_COUNT.findall(output)},
    )
