"""Where a login may send the moderator next: only to a path on this site."""

from urllib.parse import urlsplit


def is_local_path(target: str | None) -> bool:
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ord(character) < 32 or character == "\\" for character in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
