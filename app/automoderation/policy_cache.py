"""The auto-moderation policy each worker keeps for a few seconds.

Building it reads the settings, the block list and the moderators' names: three queries on
every comment. The settings are read on every request anyway, so a policy built from other
settings is never used. The block list and the names change rarely: a worker keeps them for
POLICY_SECONDS, and drops them at once when a change is made through it. Another worker may
judge a comment by the old block list for those seconds. For a comment that waits for a
moderator that does no harm; a comment about to be published at once (a trusted author's)
is judged again by a policy built there and then (`renewed_policy`).
"""

import time
from collections.abc import Callable
from collections.abc import Hashable
from typing import Any

from flask import current_app

POLICY_SECONDS = 5.0
KEY = "moderation_policy"


def kept_policy(build: Callable[[], Any], settings: Hashable) -> Any:
    kept = current_app.extensions.setdefault(KEY, {})
    if kept.get("until", 0.0) > time.monotonic() and kept.get("settings") == settings:
        return kept["policy"]
    return renewed_policy(build, settings)


def renewed_policy(build: Callable[[], Any], settings: Hashable) -> Any:
    policy = build()
    current_app.extensions[KEY] = {
        "policy": policy,
        "settings": settings,
        "until": time.monotonic() + POLICY_SECONDS,
    }
    return policy


def forget_policy() -> None:
    current_app.extensions[KEY] = {}
