"""Writing imported comments, a batch at a time, each batch its own transaction.

Every comment remembers its source and its id there (Comment.source, .source_id), so a
rerun skips what is stored: running a file twice adds nothing, a newer export adds what is
new, and a run stopped by an error continues where it stopped. Comments keep their dates
and statuses, go through the same sanitiser as a reader's, and skip everything a reader's
comment sets off (emails, flood and duplicate rules, auto-moderation): they were moderated
where they came from.

A reply may come before the comment it answers. It remembers its parent's id there
(source_parent_id) and is linked as soon as both are stored: within its batch, or when the
run finishes. Then replies nested deeper than COMMENT_THREAD_DEPTH are attached at the
deepest level readers see. Every article whose comments changed gets a new
comments_version, so the pages kept of it are retired.
"""

from collections import deque
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Comment
from app.models import CommentStatus
from app.page_versions import retire_public_copies
from app.porting.nesting import reattachments
from app.porting.placement import ArticlePlacer
from app.porting.placement import Placement
from app.porting.preparation import Preparation
from app.porting.preparation import PreparedComment
from app.porting.preparation import Preparer
from app.porting.records import Origin
from app.porting.records import Record
from app.porting.records import SourceArticle
from app.porting.records import SourceComment
from app.porting.summary import ImportSummary

NOT_IN_FILE = "its post or thread is not in the file"
# Batches read ahead of the one being written, for the workers to prepare meanwhile.
READ_AHEAD = 2


@dataclass(frozen=True)
class ImportOptions:
    dry_run: bool = False
    comments_only: bool = False
    mapping: Mapping[str, str] = field(default_factory=dict)
    batch_size: int = 500
    max_depth: int = 3
    # Processes that clean comments beside the importer; 0 cleans them in the importer.
    workers: int = 0


@dataclass
class _Batch:
    """Comments on their way: read, checked as not yet stored, being prepared."""

    comments: list[SourceComment]
    preparation: Preparation
    # What was counted while it was read: it becomes true when the batch is committed.
    summary: ImportSummary


class CommentImporter:
    """Use: for each batch `batches()` yields, commit (in a dry run, roll back) and call
    `committed()`; then `finish()`, commit and `committed()` once more. The caller owns the
    transactions (app/porting/cli.py), as a command should."""

    def __init__(self, options: ImportOptions):
        self.options = options
        # What committed batches did; the batch being written counts apart until then, so
        # a run stopped by an error reports only what is stored.
        self.summary = ImportSummary(dry_run=options.dry_run)
        self.uncommitted = ImportSummary(dry_run=options.dry_run)
        # What was counted while reading the batch not yet started.
        self.reading = ImportSummary(dry_run=options.dry_run)
        self.placer = ArticlePlacer(
            options.mapping, create_articles=not options.comments_only, dry_run=options.dry_run
        )
        self.source = ""
        self.placements: dict[str, Placement] = {}
        # Where the run got to, for the message if it stops.
        self.last_source_id: str | None = None
        # Batches read and being prepared, not yet written; their source ids, so that a
        # repeat in a later batch is known as one before the first copy is stored.
        self.pending: deque[_Batch] = deque()
        self.pending_ids: set[str] = set()

    def batches(self, records: Iterable[Record]) -> Iterator[int]:
        """Yields after each batch is written (not committed): how many comments it held.

        Up to READ_AHEAD batches are read and being prepared while the oldest is written.
        If reading fails, the batches already read are written (and yielded) first, so a
        broken file keeps everything before the break, then the error goes on.
        """
        with Preparer(self.options.workers) as preparer:
            batch: list[SourceComment] = []
            reader = iter(records)
            while True:
                try:
                    record = next(reader)
                except StopIteration:
                    break
                except Exception:
                    while self.pending:
                        yield self._write_oldest()
                    raise
                if isinstance(record, Origin):
                    self.source = record.source
                elif isinstance(record, SourceArticle):
                    self._place(record)
                elif self._worth_storing(record):
                    batch.append(record)
                    if len(batch) >= self.options.batch_size:
                        self._start(batch, preparer)
                        batch = []
                        if len(self.pending) > READ_AHEAD:
                            yield self._write_oldest()
            self._start(batch, preparer)
            while self.pending:
                yield self._write_oldest()

    def finish(self) -> None:
        """Link replies to parents that came after them, and keep nesting within the limit."""
        if not self.options.dry_run:
            changed = self._link_waiting_replies()
            changed |= self._keep_within_depth(self._articles_with_this_source())
            for article_id in sorted(changed):
                retire_public_copies(article_id)
            db.session.flush()

    def committed(self) -> None:
        """The caller committed (or, in a dry run, would have): count what it held as done."""
        self.summary.add(self.uncommitted)
        self.uncommitted = ImportSummary(dry_run=self.options.dry_run)

    def _place(self, article: SourceArticle) -> None:
        # An empty key names nothing a comment could point to; a repeated key keeps its first.
        if not article.key or article.key in self.placements:
            return
        placement = self.placer.place(article)
        self.placements[article.key] = placement
        if placement.created:
            # Already in the transaction that the next commit ends, unlike the comments read.
            self.uncommitted.article_created(placement.slug)
        if placement.problem:
            self.reading.not_placed(article.link or article.title or article.key)

    def _worth_storing(self, comment: SourceComment) -> bool:
        self.last_source_id = comment.source_id
        placement = self.placements.get(comment.article_key) if comment.article_key else None
        if comment.kind != "comment":
            reason = f"{comment.kind}, not a reader's comment"
        elif placement is None:
            reason = NOT_IN_FILE
        elif placement.problem:
            reason = placement.problem
        elif not comment.body.strip():
            reason = "no text"
        elif comment.created_at is None:
            reason = "no date"
        else:
            return True
        self.reading.skip(reason)
        return False

    def _start(self, batch: list[SourceComment], preparer: Preparer) -> None:
        fresh = self._not_yet_stored(batch)
        self.pending.append(
            _Batch(
                comments=fresh,
                preparation=preparer.start(fresh, clean=not self.options.dry_run),
                summary=self.reading,
            )
        )
        self.pending_ids.update(comment.source_id for comment in fresh)
        self.reading = ImportSummary(dry_run=self.options.dry_run)

    def _write_oldest(self) -> int:
        batch = self.pending.popleft()
        prepared = batch.preparation.result()
        rows = [
            self._row(comment, ready, batch.summary)
            for comment, ready in zip(batch.comments, prepared, strict=True)
        ]
        if not self.options.dry_run and rows:
            self._insert(rows)
        self.pending_ids.difference_update(comment.source_id for comment in batch.comments)
        self.uncommitted.add(batch.summary)
        return len(rows)

    def _insert(self, rows: list[dict]) -> None:
        """Parents first: each reply is stored with its parent's id, level by level, so
        that no reply has to be updated after it is stored."""
        self._attach_to_stored_parents(rows)
        article_of = {row["source_id"]: row["article_id"] for row in rows}

        def waits(row: dict) -> bool:
            # For a parent in this same batch (which may come after it in the file).
            parent = row["source_parent_id"]
            return row["parent_id"] is None and article_of.get(parent) == row["article_id"]

        ids: dict[str, int] = {}
        level = [row for row in rows if not waits(row)]
        waiting = [row for row in rows if waits(row)]
        while level:
            ids.update(self._insert_rows(level))
            level, still_waiting = [], []
            for row in waiting:
                parent_id = ids.get(row["source_parent_id"])
                if parent_id is None:
                    still_waiting.append(row)
                else:
                    row["parent_id"] = parent_id
                    level.append(row)
            waiting = still_waiting
        if waiting:
            # Replies in a loop of parents: stored, then linked as the file says, so that
            # finish() shows them as threads as it does for a loop across batches.
            ids.update(self._insert_rows(waiting))
            links = [
                {"id": ids[row["source_id"]], "parent_id": ids[row["source_parent_id"]]}
                for row in waiting
            ]
            db.session.execute(update(Comment), links)
        for article_id in sorted({row["article_id"] for row in rows}):
            retire_public_copies(article_id)
        db.session.flush()

    def _insert_rows(self, rows: list[dict]) -> dict[str, int]:
        """Stores the rows and returns their ids by source id.

        Core, not the ORM's bulk insert: that sent most rows one statement each on SQLite,
        where Core sends them a page of rows at a time (insertmanyvalues)."""
        comments = Comment.__table__
        stored = db.session.execute(
            insert(comments).returning(comments.c.id, comments.c.source_id), rows
        )
        return {source_id: comment_id for comment_id, source_id in stored}

    def _not_yet_stored(self, batch: list[SourceComment]) -> list[SourceComment]:
        stored = set(
            db.session.scalars(
                select(Comment.source_id).where(
                    Comment.source == self.source,
                    Comment.source_id.in_({comment.source_id for comment in batch}),
                )
            )
        )
        seen: set[str] = set()
        fresh: list[SourceComment] = []
        for comment in batch:
            if comment.source_id in stored or comment.source_id in self.pending_ids:
                # A repeat in a later batch meets the first copy, stored or on its way.
                self.reading.skip("already imported")
            elif comment.source_id in seen:
                self.reading.skip("repeated in the file")
            else:
                seen.add(comment.source_id)
                fresh.append(comment)
        return fresh

    def _row(
        self, comment: SourceComment, prepared: PreparedComment, summary: ImportSummary
    ) -> dict:
        for change in (*prepared.changes, *comment.notes):
            summary.note(change)
        status = comment.status
        if status is None:
            summary.note("status not known, held as pending")
            status = CommentStatus.PENDING
        placement = self.placements[comment.article_key]
        summary.count_imported(status, placement.slug)
        fields = prepared.fields
        return {
            "article_id": placement.article_id,
            "parent_id": None,
            "author_name": fields.name,
            "author_email": fields.email,
            "author_website": fields.website,
            "ip_address": fields.ip_address,
            "user_agent": fields.user_agent,
            "body_raw": fields.body_raw,
            "body_html": prepared.body_html,
            "body_fingerprint": prepared.body_fingerprint,
            "status": status,
            "created_at": comment.created_at,
            "moderation_reasons": [],
            "source": self.source,
            "source_id": comment.source_id,
            "source_parent_id": comment.parent_source_id,
        }

    def _attach_to_stored_parents(self, rows: list[dict]) -> None:
        """Replies to comments stored by earlier batches (or runs) get their parent now."""
        wanted = {row["source_parent_id"] for row in rows if row["source_parent_id"]}
        if not wanted:
            return
        parents = {
            source_id: (comment_id, article_id)
            for source_id, comment_id, article_id in db.session.execute(
                select(Comment.source_id, Comment.id, Comment.article_id).where(
                    Comment.source == self.source, Comment.source_id.in_(wanted)
                )
            )
        }
        for row in rows:
            parent = parents.get(row["source_parent_id"])
            if parent is not None and parent[1] == row["article_id"]:
                row["parent_id"] = parent[0]

    def _link_waiting_replies(self) -> set[int]:
        """Replies stored before their parent (this run or a stopped one) find it now."""
        reply = aliased(Comment)
        parent = aliased(Comment)
        links = db.session.execute(
            select(reply.id, parent.id, reply.article_id)
            .join(
                parent,
                and_(
                    parent.source == reply.source,
                    parent.source_id == reply.source_parent_id,
                    parent.article_id == reply.article_id,
                ),
            )
            .where(
                reply.source == self.source,
                reply.parent_id.is_(None),
                reply.source_parent_id.is_not(None),
            )
        ).all()
        if links:
            db.session.execute(
                update(Comment), [{"id": child, "parent_id": parent} for child, parent, _ in links]
            )
        missing = db.session.scalar(
            select(func.count())
            .select_from(Comment)
            .where(
                Comment.source == self.source,
                Comment.parent_id.is_(None),
                Comment.source_parent_id.is_not(None),
            )
        )
        if missing:
            self.uncommitted.note("replies to comments not in the file, shown as threads", missing)
        return {article_id for _, _, article_id in links}

    def _articles_with_this_source(self) -> set[int]:
        """Not only this run's: a run stopped by an error never checked its articles."""
        return set(
            db.session.scalars(
                select(Comment.article_id).where(Comment.source == self.source).distinct()
            )
        )

    def _keep_within_depth(self, article_ids: set[int]) -> set[int]:
        """One article at a time, so memory holds one article's (id, parent) pairs."""
        changed: set[int] = set()
        for article_id in sorted(article_ids):
            rows = db.session.execute(
                select(Comment.id, Comment.parent_id, Comment.source).where(
                    Comment.article_id == article_id
                )
            ).all()
            moves, loops = reattachments(
                {comment_id: parent_id for comment_id, parent_id, _ in rows},
                self.options.max_depth,
            )
            # Only this source's comments move: nothing already in the site is changed.
            ours = {comment_id for comment_id, _, source in rows if source == self.source}
            loops &= ours
            updates = [
                {"id": comment_id, "parent_id": moves.get(comment_id)}
                for comment_id in sorted((set(moves) | loops) & ours)
            ]
            if updates:
                db.session.execute(update(Comment), updates)
                changed.add(article_id)
            deeper = len((set(moves) - loops) & ours)
            if deeper:
                self.uncommitted.note(
                    f"replies nested deeper than {self.options.max_depth} levels, "
                    f"attached at level {self.options.max_depth}",
                    deeper,
                )
            if loops & ours:
                self.uncommitted.note("replies in a loop of parents, shown as threads", len(loops))
        return changed
