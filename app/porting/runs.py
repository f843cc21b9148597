"""The record of import and export runs, shown on the admin's "Import and export" page.

Each run is one row, written when it starts and again when it ends, and one entry in the
audit log: an import of 100,000 comments is one `import` event, not 100,000.
"""

from collections.abc import Sequence

from sqlalchemy import select

from app.audit import record
from app.extensions import db
from app.models import AuditAction
from app.models import ImportExportRun
from app.models import utcnow

REASON_LIMIT = 200


def start_run(kind: str, file_name: str, file_format: str) -> ImportExportRun:
    run = ImportExportRun(kind=kind, file_name=file_name[:300], file_format=file_format)
    db.session.add(run)
    db.session.flush()
    return run


def end_run(run: ImportExportRun, summary: dict, error: str | None = None) -> None:
    run.finished_at = utcnow()
    run.outcome = "stopped" if error else "finished"
    run.summary = summary
    run.error = error
    record(None, None, AuditAction(run.kind), None, None, reason=audit_reason(run)[:REASON_LIMIT])
    db.session.flush()


def audit_reason(run: ImportExportRun) -> str:
    counts = run.summary
    if run.kind == "export":
        done = f"{counts.get('comments', 0):,} comments exported"
    else:
        imported = sum(counts.get("imported", {}).values())
        skipped = sum(counts.get("skipped", {}).values())
        done = f"{imported:,} imported, {skipped:,} skipped"
    stopped = ", stopped by an error" if run.outcome == "stopped" else ""
    return f"run {run.id}, {run.file_name}: {done}{stopped}"


def recent_runs(limit: int = 20) -> Sequence[ImportExportRun]:
    return db.session.scalars(
        select(ImportExportRun)
        .order_by(ImportExportRun.started_at.desc(), ImportExportRun.id.desc())
        .limit(limit)
    ).all()
