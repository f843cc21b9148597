"""What a worker keeps of the pages it renders: article pages between their per-reader slots,
and the reading order of each article's comments. Keyed by the article's comments_version,
so a change anywhere retires them (app/page_versions.py).
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from flask import Flask
from flask import current_app

EXTENSION_NAME = "rendered_pages"


class RenderedPages:
    """A small LRU, one per worker process (threads share it): rendered HTML, thread orders."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._pages: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: Any) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.capacity:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def rendered_pages() -> RenderedPages:
    """This app's store (each app, in tests several, has its own)."""
    return current_app.extensions[EXTENSION_NAME]


def register(app: Flask) -> None:
    app.extensions[EXTENSION_NAME] = RenderedPages(app.config["PAGE_CACHE_SIZE"])
