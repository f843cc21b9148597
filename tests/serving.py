"""The production path for tests: `flask init-db`, then `gunicorn wsgi:app` (gunicorn.conf.py)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from app import PROJECT_ROOT

BIN_FOLDER = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GunicornSite:
    """A real gunicorn master with its workers, on a free local port, logging to a file."""

    def __init__(
        self,
        folder: Path,
        database_url: str | None = None,
        workers: int = 2,
        settings: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "gunicorn.log"
        self.environment = {
            **os.environ,
            "FLASK_INSTANCE_PATH": str(folder),
            "SECRET_KEY": "gunicorn-test-secret",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            **(settings or {}),
        }
        self.environment.pop("DATABASE_URL", None)
        if database_url:
            self.environment["DATABASE_URL"] = database_url
        self.server: subprocess.Popen | None = None

    def flask(self, *arguments: str, **extra_environment: str) -> str:
        result = subprocess.run(
            [BIN_FOLDER / "flask", "--app", "wsgi", *arguments],
            cwd=PROJECT_ROOT,
            env={**self.environment, **extra_environment},
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout

    def start(self) -> "GunicornSite":
        self.flask("init-db")
        with self.log_path.open("w") as log:
            self.server = subprocess.Popen(
                [BIN_FOLDER / "gunicorn", "wsgi:app"],
                cwd=PROJECT_ROOT,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        for _ in range(300):
            try:
                urllib.request.urlopen(self.base_url + "/healthz", timeout=1).close()
                return self
            except OSError:
                if self.server.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start:\n" + self.log_path.read_text())

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def kill_a_worker(self) -> int:
        """As the kernel's OOM killer would: no warning, requests in flight cut off."""
        victim = self.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        return victim

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=60)

    def log(self) -> str:
        return self.log_path.read_text()

    def __enter__(self) -> "GunicornSite":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
