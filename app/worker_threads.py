"""A worker process's own background thread, for work a request hands over after its commit
(sending mail, asking Akismet): at most one runs at a time, and tests can wait for it."""

import threading
from collections.abc import Callable


class WorkerThread:
    """Subclasses call `start` with `lock` held, and clear `thread` under it when done."""

    # In thread names and in the error of wait_until_idle.
    name = "background work"

    def __init__(self):
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def start(self, target: Callable[[], None]) -> None:
        self.thread = threading.Thread(target=target, name=self.name, daemon=True)
        self.thread.start()

    def wait_until_idle(self, timeout: float | None = 10) -> None:
        """For tests and shutdown: wait until the work handed over is done (None: however
        long it takes)."""
        while True:
            with self.lock:
                thread = self.thread
            if thread is None:
                return
            thread.join(timeout)
            if thread.is_alive():
                raise TimeoutError(f"{self.name} is still running")
