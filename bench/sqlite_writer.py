"""One of the raw SQLite writers: inserts comment rows, one transaction each, until time is up.

Usage: python -m bench.sqlite_writer DATABASE START_AT SECONDS
It uses the site's own connection settings (app/database.py: WAL, synchronous=FULL,
foreign keys, the busy timeout) and its BEGIN IMMEDIATE for writes, waits for START_AT (a
time.time() value) so that all writers start together, and
prints how many rows it stored.
"""

import sqlite3
import sys
import time
from datetime import UTC
from datetime import datetime

from app.database import configure_sqlite_connection
from bench.comment_rows import INSERT_COMMENT

BODY = "Raw insert for the reference rate. It is as long as a short real comment, or close."


def write_until(database: str, start_at: float, seconds: float) -> int:
    connection = sqlite3.connect(database, timeout=5)
    configure_sqlite_connection(connection, None, busy_timeout_ms=5000)
    article_id = connection.execute("SELECT min(id) FROM articles").fetchone()[0]
    time.sleep(max(0.0, start_at - time.time()))
    stored = 0
    deadline = start_at + seconds
    while time.time() < deadline:
        created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        row = (
            article_id,
            "Raw Writer",
            "raw@example.org",
            None,
            BODY,
            f"<p>{BODY}</p>",
            "pending",
            created,
            "192.0.2.9",
            "bench",
        )
        # One transaction per row, as one comment POST is one transaction, and begun as the
        # site begins a write.
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(INSERT_COMMENT, row)
        connection.execute("COMMIT")
        stored += 1
    connection.close()
    return stored


if __name__ == "__main__":
    print(write_until(sys.argv[1], float(sys.argv[2]), float(sys.argv[3])))
