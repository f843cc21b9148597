"""Creates instance/secret_key once, for a single machine that has no SECRET_KEY set.

Run as `python -m app.secret_key [INSTANCE_FOLDER]` (`make serve` does). It never replaces
an existing key: that would log every moderator out and void every open comment form.
"""

import os
import secrets
import sys
from pathlib import Path

from app.config import SECRET_KEY_FILENAME

# The same folder the app uses: FLASK_INSTANCE_PATH when set, else ./instance.
DEFAULT_INSTANCE_FOLDER = Path(
    os.environ.get("FLASK_INSTANCE_PATH") or Path(__file__).resolve().parent.parent / "instance"
)


def ensure_secret_key_file(instance_folder: Path) -> Path:
    instance_folder.mkdir(parents=True, exist_ok=True)
    key_file = instance_folder / SECRET_KEY_FILENAME
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return key_file


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_INSTANCE_FOLDER
    print(f"Secret key: {ensure_secret_key_file(folder)}")
