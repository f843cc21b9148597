"""Time-based one-time codes (RFC 6238) and single-use recovery codes for moderators."""

import base64
import hashlib
import hmac
import io
import secrets
import time
from typing import TYPE_CHECKING

from app.models import Moderator

ISSUER = "Morning Ledger moderation"
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_BYTES = 10  # 80 bits: sixteen letters and digits, shown in groups of four
# Accept the code of the step before and after too: phones' clocks drift.
VALID_WINDOW = 1

if TYPE_CHECKING:
    import pyotp


def _totp(secret: str) -> "pyotp.TOTP":
    import pyotp  # here, not at the top: only a login with two-factor, or setting it up, needs it

    return pyotp.TOTP(secret)


def new_secret() -> str:
    import pyotp  # here, not at the top: see _totp

    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str, issuer: str = ISSUER) -> str:
    return _totp(secret).provisioning_uri(name=username, issuer_name=issuer)


def qr_code_svg(uri: str) -> bytes:
    """The QR code as an SVG document, served from our own origin (no third party)."""
    import segno  # only while a moderator sets up two-factor: web workers save 1 MB

    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=2)
    return buffer.getvalue()


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code this is, or None if the code is wrong."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = _totp(secret)
    now = time.time() if now is None else now
    current = int(now // totp.interval)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if secrets.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


def accept_code(moderator: Moderator, code: str, now: float | None = None) -> bool:
    """A current code never used before, or an unused recovery code (which is then spent)."""
    if moderator.totp_secret is None:
        return False
    step = matching_step(moderator.totp_secret, code, now)
    if step is not None:
        if moderator.totp_last_step is not None and step <= moderator.totp_last_step:
            return False  # seen already: a replayed code
        moderator.totp_last_step = step
        return True
    return spend_recovery_code(moderator, code)


def new_recovery_codes(moderator: Moderator) -> list[str]:
    """Replace the moderator's recovery codes; the plain codes are shown once, then gone."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        letters = base64.b32encode(secrets.token_bytes(RECOVERY_CODE_BYTES)).decode().lower()
        codes.append("-".join(letters[start : start + 4] for start in range(0, len(letters), 4)))
    moderator.recovery_code_hashes = [_recovery_hash(code) for code in codes]
    return codes


def spend_recovery_code(moderator: Moderator, code: str) -> bool:
    # 80 random bits make a plain SHA-256 safe here, and one hash per attempt keeps a
    # wrong guess cheap (a slow password hash for each of ten codes cost a second).
    attempt = _recovery_hash(code)
    for stored in moderator.recovery_code_hashes:
        if hmac.compare_digest(stored, attempt):
            moderator.recovery_code_hashes = [
                kept for kept in moderator.recovery_code_hashes if kept != stored
            ]
            return True
    return False


def _recovery_hash(code: str) -> str:
    normalised = "".join(character for character in code.lower() if character.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def enable(moderator: Moderator, secret: str, step: int) -> list[str]:
    moderator.totp_secret = secret
    moderator.totp_last_step = step
    return new_recovery_codes(moderator)


def disable(moderator: Moderator) -> None:
    moderator.totp_secret = None
    moderator.totp_last_step = None
    moderator.recovery_code_hashes = []
