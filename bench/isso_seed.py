"""Run by Isso's own Python (not ours): stores published comments with Isso's database code.

Usage: isso-venv/bin/python isso_seed.py SETTINGS_FILE COMMENTS_JSON
"""

import json
import sys
import time
from pathlib import Path

from isso import config
from isso.db import SQLite3

PUBLISHED = 1  # Isso's mode for a visible comment (2 is pending)
READER_ADDRESS = "192.0.2.0"


def main(settings_file: str, comments_file: str) -> None:
    settings = config.load(config.default_file(), settings_file)
    database = SQLite3(settings.get("general", "dbpath"), settings)
    thread = json.loads(Path(comments_file).read_text())
    uri = thread["uri"]
    if uri not in database.threads:
        database.threads.new(uri, thread["title"])
    comments = thread["comments"]
    first_created = time.time() - len(comments)
    for index, comment in enumerate(comments):
        database.comments.add(
            uri,
            {
                **comment,
                "parent": None,
                "mode": PUBLISHED,
                "remote_addr": READER_ADDRESS,
                "created": first_created + index,
                "notification": 0,
            },
        )


if __name__ == "__main__":
    main(*sys.argv[1:3])
