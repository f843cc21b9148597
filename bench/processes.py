"""Every process the benchmark starts, so that each one is stopped by its PID, whatever happens.

Children get their own session: Ctrl-C reaches only the benchmark, which then stops them
in order instead of leaving half-stopped servers behind.
"""

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

STOP_GRACE_SECONDS = 10
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


class StartedProcesses:
    def __init__(self) -> None:
        self._running: dict[int, subprocess.Popen] = {}
        # PIDs that a started process made itself (gunicorn workers), stopped after their parent.
        self._offspring: dict[int, set[int]] = {}

    def start(
        self,
        command: Sequence[str | Path],
        *,
        log_path: Path | None = None,
        **popen_options,
    ) -> subprocess.Popen:
        if log_path is not None:
            with log_path.open("ab") as log:
                process = subprocess.Popen(
                    command,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    **popen_options,
                )
        else:
            process = subprocess.Popen(command, start_new_session=True, **popen_options)
        self._running[process.pid] = process
        return process

    def run(self, command: Sequence[str | Path], **popen_options) -> str:
        """A short command, run to its end; its output, or an error that shows the output."""
        process = self.start(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen_options
        )
        try:
            output, _ = process.communicate()
        finally:
            self.stop(process)
        if process.returncode != 0:
            shown = " ".join(str(part) for part in command)
            raise RuntimeError(f"{shown} failed ({process.returncode}):\n{output}")
        return output

    def note_offspring(self, process: subprocess.Popen, pids: set[int]) -> None:
        self._offspring.setdefault(process.pid, set()).update(pids)

    def stop(self, process: subprocess.Popen) -> None:
        """SIGTERM (gunicorn's graceful stop), then SIGKILL for it and its known workers."""
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pid in self._offspring.pop(process.pid, set()):
            _kill_if_still_running(pid)
        self._running.pop(process.pid, None)

    def stop_all(self) -> None:
        # A second Ctrl-C must not cut the clean-up short and leave servers running.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            for process in list(self._running.values()):
                try:
                    self.stop(process)
                except OSError as error:
                    print(f"bench: could not stop PID {process.pid}: {error}", file=sys.stderr)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _kill_if_still_running(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def children_of(pid: int) -> set[int]:
    """Direct children, read from /proc (no ps needed)."""
    found: set[int] = set()
    task_folder = Path(f"/proc/{pid}/task")
    try:
        tasks = list(task_folder.iterdir())
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            found.update(int(child) for child in (task / "children").read_text().split())
        except FileNotFoundError:
            continue
    return found


def peak_rss_megabytes(pid: int) -> float | None:
    """VmHWM: the most resident memory the process ever had."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def raise_on_termination() -> None:
    """Turn Ctrl-C, SIGTERM and SIGHUP into exceptions, so `finally` blocks stop the servers.

    SIGINT is set explicitly: a shell starts background jobs with it ignored.
    """

    def stop_benchmark(signal_number, frame):
        raise SystemExit(128 + signal_number)

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop_benchmark)
    signal.signal(signal.SIGHUP, stop_benchmark)
