"""Progress lines on stderr, so stdout holds only the table."""

import sys
import time

_STARTED = time.monotonic()


def say(message: str) -> None:
    elapsed = time.monotonic() - _STARTED
    print(f"bench [{elapsed:5.0f} s] {message}", file=sys.stderr, flush=True)


def elapsed_seconds() -> float:
    return time.monotonic() - _STARTED
