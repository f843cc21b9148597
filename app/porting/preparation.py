"""An imported comment's storable fields and clean HTML, made beside the importer.

Cleaning with bleach is most of an import's work, and like the rest of `storable_fields` it
is a pure function of the comment's strings. So a pool of worker processes prepares the
comments of one batch while the importer reads the next and writes the one before. The
workers call the very `clean_comment` a reader's comment goes through: the stored HTML is
the same, wherever it was made.

The pool is forked from the importer: the workers start at once with the code already
loaded (a fresh interpreter would import the whole app again, 65 MB each), and they touch
nothing of the parent's but the comments they are sent.
"""

import gc
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from app.models import fingerprint_of
from app.porting.fields import StorableFields
from app.porting.fields import storable_fields
from app.porting.records import SourceComment
from app.sanitize import clean_comment


@dataclass(frozen=True)
class PreparedComment:
    fields: StorableFields
    # What had to change to store it, for the summary.
    changes: tuple[str, ...]
    # Empty in a dry run, which stores nothing and so cleans nothing.
    body_html: str
    body_fingerprint: str


def prepared_comments(comments: Sequence[SourceComment], clean: bool) -> list[PreparedComment]:
    prepared = []
    for comment in comments:
        fields, changes = storable_fields(comment)
        prepared.append(
            PreparedComment(
                fields=fields,
                changes=tuple(changes),
                body_html=clean_comment(fields.body_raw) if clean else "",
                body_fingerprint=fingerprint_of(fields.body_raw),
            )
        )
    return prepared


def default_workers() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))


class Preparation:
    """A batch's comments being prepared: `result()` waits for them, in order."""

    def __init__(self, parts: list[Future] | list[PreparedComment]):
        self._parts = parts

    def result(self) -> list[PreparedComment]:
        if self._parts and isinstance(self._parts[0], Future):
            return [comment for part in self._parts for comment in part.result()]
        return self._parts


class Preparer:
    """Prepares batches in `workers` processes, or here when `workers` is 0.

    The pool starts with the first batch big enough to share out, so a small import (and
    most tests) never forks. Use as a context manager: leaving it stops the workers.
    """

    # Below this many comments a batch is prepared here: shipping it costs more than it saves.
    SMALLEST_SHARED_BATCH = 50

    def __init__(self, workers: int):
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "Preparer":
        return self

    def __exit__(self, *exc_info) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def start(self, comments: list[SourceComment], clean: bool) -> Preparation:
        if self.workers < 1 or len(comments) < self.SMALLEST_SHARED_BATCH:
            return Preparation(prepared_comments(comments, clean))
        starting = self._pool is None
        if starting:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("fork")
            )
            # The workers fork at the first submit. Frozen objects are left alone by the
            # workers' garbage collector, so the pages that hold them stay shared.
            gc.freeze()
        try:
            # One part per worker, so that every worker has a share of each batch.
            size = -(-len(comments) // self.workers)
            parts = [
                self._pool.submit(prepared_comments, comments[start : start + size], clean)
                for start in range(0, len(comments), size)
            ]
        finally:
            if starting:
                gc.unfreeze()
        return Preparation(parts)
