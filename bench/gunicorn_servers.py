"""Serving a WSGI app the way production does: gunicorn with the project's gunicorn.conf.py.

Every server in a run, ours, the baseline and the peer, gets the same settings file. Only the
benchmark's overrides differ from production: the loopback address, two workers, and sync
workers, so that ratios compare like with like.
"""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from app import PROJECT_ROOT
from bench.processes import StartedProcesses
from bench.processes import children_of
from bench.processes import peak_rss_megabytes

PRODUCTION_CONFIG = PROJECT_ROOT / "gunicorn.conf.py"
MEASURED_WORKERS = 2
READY_TIMEOUT_SECONDS = 60
COMMAND_LINE_ENV = "GUNICORN_CMD_ARGS"


@dataclass(frozen=True)
class ServedApp:
    name: str
    gunicorn: Path
    wsgi_app: str
    environment: Mapping[str, str]
    # A path that answers once the app is up (any status below 500).
    ready_path: str = "/"
    # Settings on top of gunicorn.conf.py, beyond the benchmark's usual ones.
    extra_settings: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ProductionWorkers:
    worker_class: str
    threads: int
    workers: int
    preload_app: bool

    def describe(self) -> str:
        preload = ", preload" if self.preload_app else ""
        return (
            f"{self.worker_class} workers ×{self.workers}, {self.threads} thread(s) each{preload}"
        )

    @property
    def same_as_measured(self) -> bool:
        return self.worker_class == "sync"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_workers(gunicorn: Path) -> ProductionWorkers:
    """What gunicorn.conf.py asks for, as gunicorn itself reads it (--print-config)."""
    printed = subprocess.run(
        # gunicorn loads the app it is given even to print: the tiny baseline app costs nothing.
        [gunicorn, "-c", PRODUCTION_CONFIG, "--print-config", "bench.baseline_app:app"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    settings = {}
    for line in printed.splitlines():
        name, _, value = line.partition("=")
        settings[name.strip()] = value.strip()
    threads = int(settings.get("threads", "1"))
    worker_class = settings.get("worker_class", "sync")
    if worker_class == "sync" and threads > 1:
        # gunicorn runs sync workers with more than one thread as gthread workers.
        worker_class = "gthread"
    return ProductionWorkers(
        worker_class=worker_class,
        threads=threads,
        workers=int(settings.get("workers", "1")),
        preload_app=settings.get("preload_app") == "True",
    )


class GunicornServer:
    """One gunicorn master and its workers, started and stopped through StartedProcesses."""

    def __init__(
        self,
        processes: StartedProcesses,
        served: ServedApp,
        folder: Path,
        worker_settings: Mapping[str, object] | None = None,
    ) -> None:
        self.processes = processes
        self.served = served
        self.port = free_port()
        self.log_path = folder / f"{served.name}-gunicorn.log"
        self.config_path = folder / f"{served.name}-gunicorn.conf.py"
        self.worker_settings = worker_settings or {"worker_class": "sync", "threads": 1}
        self.process: subprocess.Popen | None = None
        self.peak_worker_rss_mb: float | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> "GunicornServer":
        self._write_config()
        # GUNICORN_CMD_ARGS would outrank the settings file and undo the benchmark's overrides.
        inherited = {name: value for name, value in os.environ.items() if name != COMMAND_LINE_ENV}
        environment = {**inherited, **self.served.environment}
        environment["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
        environment["GUNICORN_WORKERS"] = str(MEASURED_WORKERS)
        self.process = self.processes.start(
            [self.served.gunicorn, "-c", self.config_path, self.served.wsgi_app],
            log_path=self.log_path,
            cwd=PROJECT_ROOT,
            env=environment,
        )
        self._wait_until_ready()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process is None:
            return
        self.peak_worker_rss_mb = self.peak_rss_of_one_worker()
        self.processes.note_offspring(self.process, children_of(self.process.pid))
        self.processes.stop(self.process)

    def worker_pids(self) -> set[int]:
        return children_of(self.process.pid) if self.process else set()

    def peak_rss_of_one_worker(self) -> float | None:
        peaks = [peak_rss_megabytes(pid) for pid in self.worker_pids()]
        known = [peak for peak in peaks if peak is not None]
        return max(known) if known else None

    def _write_config(self) -> None:
        settings = {
            "bind": f"127.0.0.1:{self.port}",
            "workers": MEASURED_WORKERS,
            **self.worker_settings,
            **self.served.extra_settings,
        }
        lines = [
            "# Written by the benchmark: the project's gunicorn.conf.py, then its overrides.",
            f"exec(compile(open({str(PRODUCTION_CONFIG)!r}).read(), "
            f"{str(PRODUCTION_CONFIG)!r}, 'exec'))",
            *(f"{name} = {value!r}" for name, value in settings.items()),
        ]
        self.config_path.write_text("\n".join(lines) + "\n")

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self._answers() and len(self.worker_pids()) >= MEASURED_WORKERS:
                self.processes.note_offspring(self.process, self.worker_pids())
                return
            time.sleep(0.2)
        tail = self.log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{self.served.name} did not start under gunicorn:\n{tail}")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url(self.served.ready_path), timeout=5):
                return True
        except urllib.error.HTTPError as error:
            return error.code < 500
        except OSError:
            return False
