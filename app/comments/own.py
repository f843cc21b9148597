"""Which comments this reader wrote, remembered in their signed session cookie.

Only ids are kept (never the email), so the cookie shows its holder nothing new, and a
reader can see their own comments awaiting moderation without an account.
"""

from collections.abc import MutableMapping
from typing import Any

SESSION_KEY = "own_comment_ids"
# Enough for a lively reader; keeps the cookie far below browsers' 4 KB limit.
REMEMBERED_LIMIT = 50


def own_comment_ids(session: MutableMapping[str, Any]) -> list[int]:
    ids = session.get(SESSION_KEY, [])
    return [value for value in ids if isinstance(value, int)] if isinstance(ids, list) else []


def remember_own_comment(session: MutableMapping[str, Any], comment_id: int) -> None:
    ids = [known for known in own_comment_ids(session) if known != comment_id] + [comment_id]
    session[SESSION_KEY] = ids[-REMEMBERED_LIMIT:]
