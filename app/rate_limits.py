"""A coarse per-IP burst guard on the public POSTs (comments, logins), with Flask-Limiter.

The real limits count rows in the database (app/comments/guard.py, app/auth/throttle.py), so
they hold on every machine. This one stops a burst of requests before any of that work
begins, and its counters are not in the database: in each process's memory by default, or in
one Redis that every app machine shares when REDIS_URL is set.

One Limiter per app, not one in extensions.py: Flask-Limiter keeps its storage and its
on/off switch on the Limiter object, so apps sharing one would share one configuration.
"""

import math
import time
from collections.abc import Iterable

from flask import Blueprint
from flask import Flask
from flask import current_app
from flask_limiter import Limiter
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address

from app.errors import EXPLANATIONS
from app.errors import render_error


def register(app: Flask, public_blueprints: Iterable[Blueprint]) -> Limiter:
    limiter = Limiter(
        # The client's address as ProxyFix found it (TRUSTED_PROXY_HOPS).
        key_func=get_remote_address,
        storage_uri=app.config["REDIS_URL"] or "memory://",
        enabled=app.config["RATELIMIT_ENABLED"],
        # Its headers would put a Retry-After on every answer, a 303 or a 503 included.
        headers_enabled=False,
        # Redis down: count in this process's memory meanwhile, rather than refuse or fail.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )
    limiter.init_app(app)
    for blueprint in public_blueprints:
        limiter.limit(lambda: app.config["PUBLIC_POST_LIMIT"], methods=["POST"])(blueprint)
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    return limiter


def too_many_requests(error: RateLimitExceeded):
    """The readable 429 page, with Retry-After: when the breached window ends."""
    breached = [
        limit
        for limiter in current_app.extensions["limiter"]
        for limit in limiter.current_limits
        if limit.breached
    ]
    wait = max((limit.reset_at for limit in breached), default=time.time() + 60) - time.time()
    return (*render_error(429, *EXPLANATIONS[429]), {"Retry-After": str(max(1, math.ceil(wait)))})
