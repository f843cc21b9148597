"""Comment-form stamps for the POST run, signed as the site signs them.

Every form the site shows carries a signed, random stamp: it dates the form and, as the
comment's submission id, makes a resent form store nothing new. Replaying a few prepared
forms would therefore store a few comments, so each POST needs a stamp of its own. The
benchmark holds the site's secret key, so it signs a fresh file of stamps before every wrk
run, instead of loading the article page once per POST.
"""

import secrets
from pathlib import Path

from itsdangerous import TimestampSigner

from app.comments.guard import STAMP_SALT

# Enough for the fastest thread through the longest round, with room to spare.
STAMPS_PER_RUN = 60_000
# Stands in for the stamp in a prepared form (letters only, so URL-encoding leaves it alone).
STAMP_MARK = "STAMPMARK"


def fresh_stamp(secret_key: str) -> str:
    return TimestampSigner(secret_key, salt=STAMP_SALT).sign(secrets.token_urlsafe(16)).decode()


def write_stamps(path: Path, secret_key: str, count: int = STAMPS_PER_RUN) -> Path:
    signer = TimestampSigner(secret_key, salt=STAMP_SALT)
    path.write_text(
        "".join(signer.sign(secrets.token_urlsafe(16)).decode() + "\n" for _ in range(count))
    )
    return path
