"""The auto-moderation policy each worker keeps for a few seconds.

Building it reads the settings, the block list and the moderators' names: three queries on
every comment. They change rarely, so a worker keeps the result for POLICY_SECONDS and drops
it at once when a change is made through it. Another worker may judge a comment by the old
policy for those few seconds, which does no harm: every comment waits for a moderator anyway.
"""

import time
from collections.abc import Callable
from typing import Any

from flask import current_app

POLICY_SECONDS = 5.0
KEY = "moderation_policy"


def kept_policy(build: Callable[[], Any]) -> Any:
    kept = current_app.extensions.setdefault(KEY, {})
    if kept.get("until", 0.0) > time.monotonic():
        return kept["policy"]
    policy = build()
    kept.update(policy=policy, until=time.monotonic() + POLICY_SECONDS)
    return policy


def forget_policy() -> None:
    current_app.extensions[KEY] = {}
