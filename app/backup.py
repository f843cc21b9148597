"""Online backups of the SQLite database, taken while the site keeps serving.

PostgreSQL has its own tool for this, pg_dump (see the README); this module is for SQLite.
"""

import os
import sqlite3
from pathlib import Path


class BackupError(RuntimeError):
    pass


def back_up_sqlite(database: Path, target: Path) -> int:
    """Copy `database` to `target` as it stood at one moment; returns the copy's size in bytes.

    SQLite's backup API in a single step (pages=-1) reads one snapshot of the database, so the
    copy is consistent even while comments are being written; in WAL mode it never holds up
    those writes. Copying the file instead could catch a write half done, and would miss what
    is still in the -wal file. The copy is checked, made one self-contained file (no WAL),
    and only then put in place, so `target` is never a half-written backup.
    """
    if not database.is_file():
        raise BackupError(f"There is no database at {database}.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(database)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy, pages=-1)
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
    if verdict != "ok":
        partial.unlink()
        raise BackupError(f"The copy failed its integrity check: {verdict}")
    os.replace(partial, target)
    return target.stat().st_size
