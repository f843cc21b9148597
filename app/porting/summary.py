"""What an import did, counted as it goes: printed at the end and kept with the run."""

from collections import Counter
from dataclasses import dataclass
from dataclasses import field

from app.models import CommentStatus

# A summary names at most this many articles and unplaced posts; the rest are counted.
LISTED = 20


@dataclass
class ImportSummary:
    dry_run: bool = False
    imported: Counter[str] = field(default_factory=Counter)  # by status
    skipped: Counter[str] = field(default_factory=Counter)  # by reason
    changed: Counter[str] = field(default_factory=Counter)  # what had to change, and how often
    placed: Counter[str] = field(default_factory=Counter)  # new comments by article slug
    articles_created: list[str] = field(default_factory=list)
    articles_created_count: int = 0
    unplaced: list[str] = field(default_factory=list)  # posts whose comments found no article
    unplaced_count: int = 0

    def count_imported(self, status: CommentStatus, slug: str) -> None:
        self.imported[status.value] += 1
        self.placed[slug] += 1

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] += count

    def note(self, change: str, count: int = 1) -> None:
        self.changed[change] += count

    def article_created(self, slug: str) -> None:
        self.articles_created_count += 1
        if len(self.articles_created) < LISTED:
            self.articles_created.append(slug)

    def not_placed(self, what: str) -> None:
        self.unplaced_count += 1
        if len(self.unplaced) < LISTED:
            self.unplaced.append(what)

    def add(self, other: "ImportSummary") -> None:
        """Take in a batch's counts once the batch is committed."""
        self.imported.update(other.imported)
        self.skipped.update(other.skipped)
        self.changed.update(other.changed)
        self.placed.update(other.placed)
        for slug in other.articles_created:
            self.article_created(slug)
        self.articles_created_count += other.articles_created_count - len(other.articles_created)
        for what in other.unplaced:
            self.not_placed(what)
        self.unplaced_count += other.unplaced_count - len(other.unplaced)

    @property
    def total_imported(self) -> int:
        return sum(self.imported.values())

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())

    def as_record(self) -> dict:
        """For the runs table: counts and slugs, no names, emails or text."""
        return {
            "dry_run": self.dry_run,
            "imported": dict(self.imported),
            "skipped": dict(self.skipped),
            "changed": dict(self.changed),
            "placed": dict(self.placed.most_common(LISTED)),
            "articles_placed": len(self.placed),
            "articles_created": self.articles_created,
            "articles_created_count": self.articles_created_count,
            "unplaced": self.unplaced,
            "unplaced_count": self.unplaced_count,
        }

    def lines(self) -> list[str]:
        verb = "Would import" if self.dry_run else "Imported"
        lines = [f"{verb} {self.total_imported:,} comments:"]
        lines += [
            f"  {status.value}: {self.imported[status.value]:,}"
            for status in CommentStatus
            if self.imported[status.value]
        ]
        lines.append(f"Skipped {self.total_skipped:,} comments:")
        lines += [f"  {reason}: {count:,}" for reason, count in sorted(self.skipped.items())]
        if self.changed:
            lines.append("Changed to be stored:")
            lines += [f"  {change}: {count:,}" for change, count in sorted(self.changed.items())]
        created = "would be created" if self.dry_run else "created"
        lines.append(
            f"Placed on {len(self.placed):,} articles ({self.articles_created_count:,} {created}):"
        )
        lines += [f"  {slug}: {count:,}" for slug, count in self.placed.most_common(LISTED)]
        if len(self.placed) > LISTED:
            lines.append(f"  and {len(self.placed) - LISTED:,} more articles")
        if self.articles_created:
            lines.append(f"Articles {created}: {', '.join(self.articles_created)}")
        if self.unplaced_count:
            lines.append(f"Posts whose comments found no article ({self.unplaced_count:,}):")
            lines += [f"  {what}" for what in self.unplaced]
        return lines
