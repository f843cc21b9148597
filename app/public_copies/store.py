"""The kept public copies of one worker, and how long each may be trusted.

Every worker keeps its own copies (threads share them). Whether a copy is still current is
asked of the database, so every worker on every machine sees a change: at most once per
PUBLIC_COPY_TRUST_SECONDS, whatever the traffic, one statement answers for every copy. A
commit in this worker stops the trust at once, so its own changes show on the next request.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any
from typing import TypeVar

from flask import Flask
from flask import current_app
from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

EXTENSION_NAME = "public_copies"
# Never sent in answer to If-None-Match (RFC 9110: a 304 carries no representation).
NOT_FOR_304 = frozenset({"content-length", "content-type"})
Kept = TypeVar("Kept")


@dataclass(frozen=True, slots=True)
class PublicCopy:
    """A whole answer as sent: the same bytes and headers for every reader."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    # The public pages' version known before the copy was made (never after: a change made
    # during the rendering must make the copy stale, not current).
    version: Hashable

    @classmethod
    def made(
        cls, status: str, headers: list[tuple[str, str]], body: bytes, version: Hashable
    ) -> "PublicCopy":
        etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        headers = [(name, value) for name, value in headers if name.lower() != "etag"]
        return cls(status, [*headers, ("ETag", etag)], body, etag, version)

    def not_modified_headers(self) -> list[tuple[str, str]]:
        return [(name, value) for name, value in self.headers if name.lower() not in NOT_FOR_304]


class PublicCopies:
    """A small LRU of public copies, and the public pages' version as this worker knows it."""

    def __init__(
        self,
        capacity: int,
        trust_seconds: float,
        read_version: Callable[[], Hashable],
        clock: Callable[[], float] = time.monotonic,
    ):
        self.capacity = capacity
        self.trust_seconds = trust_seconds
        self._read_version = read_version
        self._clock = clock
        self._copies: OrderedDict[Hashable, PublicCopy] = OrderedDict()
        self._lock = threading.Lock()
        self._version_lock = threading.Lock()
        self._version: Hashable = None
        self._checked_at = float("-inf")
        # Bumped by every distrust: what was kept before it is read again.
        self._generation = 0
        self._kept_while_trusted: dict[Hashable, tuple[Any, float, int]] = {}

    def version(self) -> Hashable:
        """The version, asked again of the database once it is older than the trust period."""
        if self._clock() - self._checked_at < self.trust_seconds:
            return self._version
        with self._version_lock:
            # Another thread may have asked while this one waited.
            if self._clock() - self._checked_at >= self.trust_seconds:
                asked_at = self._clock()
                self._version = self._read_version()
                self._checked_at = asked_at
            return self._version

    def distrust(self) -> None:
        """Something changed here: ask the database before the next copy is served."""
        self._checked_at = float("-inf")
        self._generation += 1

    def kept_while_trusted(self, name: Hashable, read: Callable[[], Kept]) -> Kept:
        """What `read` gives, kept as long as a version would be trusted: read again after
        the trust period, or after a commit in this worker. For what the version already
        covers and every page reads (the site's settings), so that a page made here is no
        fresher and no staler than the public copies beside it."""
        kept = self._kept_while_trusted.get(name)
        if kept is not None:
            value, read_at, generation = kept
            if generation == self._generation and self._clock() - read_at < self.trust_seconds:
                return value
        generation, read_at = self._generation, self._clock()
        value = read()
        self._kept_while_trusted[name] = (value, read_at, generation)
        return value

    def current(self, key: Hashable) -> PublicCopy | None:
        with self._lock:
            copy = self._copies.get(key)
            if copy is not None:
                self._copies.move_to_end(key)
        if copy is None or copy.version != self.version():
            return None
        return copy

    def keep(self, key: Hashable, copy: PublicCopy) -> None:
        with self._lock:
            self._copies[key] = copy
            self._copies.move_to_end(key)
            while len(self._copies) > self.capacity:
                self._copies.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()
        self.distrust()


def public_copies_of(app: Flask) -> PublicCopies:
    return app.extensions[EXTENSION_NAME]


@event.listens_for(Session, "after_commit")
def _distrust_after_a_commit(session: Session) -> None:
    # Any commit may have changed what readers see; asking costs one statement.
    if has_app_context() and EXTENSION_NAME in current_app.extensions:
        public_copies_of(current_app).distrust()
