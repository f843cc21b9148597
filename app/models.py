"""The stored things: articles, comments, moderators and the moderation record."""

import enum
import hashlib
from datetime import UTC
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON
from sqlalchemy import BigInteger
from sqlalchemy import DateTime
from sqlalchemy import Enum
from sqlalchemy import Float
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship
from sqlalchemy.orm import validates
from sqlalchemy.types import TypeDecorator
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.sanitize import as_markup

# PBKDF2 at OWASP's 600,000 rounds rather than werkzeug's default scrypt: scrypt needs 32 MB
# for every login, which would double a web worker's memory.
PASSWORD_HASH_METHOD = "pbkdf2:sha256:600000"  # noqa: S105  (a method name, not a secret)


def fingerprint_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone (SQLite has none) and hands back aware datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one (utcnow())")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


class CommentStatus(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    SPAM = "spam"
    TRASH = "trash"


class SpamLabel(enum.Enum):
    """What a moderator's decision taught the spam filter about a comment."""

    SPAM = "spam"
    GOOD = "good"


class AkismetVerdict(enum.Enum):
    """What Akismet answered when it checked a new comment (app/second_opinion.py)."""

    HAM = "ham"
    SPAM = "spam"
    # Spam so blatant that Akismet advises discarding it unseen.
    DISCARD = "discard"


class CommentMode(enum.Enum):
    """Per article: comments open, closed, or open but every one held (sensitive stories)."""

    OPEN = "open"
    CLOSED = "closed"
    HELD = "held"


class ReportReason(enum.Enum):
    SPAM = "spam"
    ABUSE = "abuse"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class BlockKind(enum.Enum):
    EMAIL = "email"
    DOMAIN = "domain"
    IP = "ip"


class AlertMode(enum.Enum):
    """How a moderator hears about held comments by email."""

    EACH = "each"
    DIGEST = "digest"
    OFF = "off"


class AuditAction(enum.Enum):
    """What an audit-log entry records. The desk's actions keep their names (ACTIONS)."""

    STATUS = "status"
    APPROVE = "approve"
    UNAPPROVE = "unapprove"
    SPAM = "spam"
    NOT_SPAM = "not_spam"
    TRASH = "trash"
    RESTORE = "restore"
    UNDO = "undo"
    DELETE = "delete"
    EDIT = "edit"
    DISMISS_REPORTS = "dismiss_reports"
    STAFF_REPLY = "staff_reply"
    TRUSTED_APPROVE = "trusted_approve"
    IMPORT = "import"
    EXPORT = "export"
    PICK = "pick"
    UNPICK = "unpick"
    # Akismet called a pending comment blatant spam ("discard"), which sent it to spam.
    AKISMET_SPAM = "akismet_spam"


class ReportResolution(enum.Enum):
    ACTED = "acted"  # a moderator changed the comment's status
    DISMISSED = "dismissed"  # the reports were wrong; the comment stays


class MessageKind(enum.Enum):
    """Which email an outbox row is, for limits per kind and notices sent once."""

    MODERATOR_ALERT = "moderator_alert"
    MODERATOR_DIGEST = "moderator_digest"
    CONFIRM_ADDRESS = "confirm_address"
    PUBLISHED = "published"
    REPLY = "reply"
    PICKED = "picked"
    PRIVACY_REQUEST = "privacy_request"


def _stored_as_value(enum_class: type[enum.Enum], length: int = 16) -> Enum:
    # Store "pending", not "PENDING", as a plain string: new states need no ALTER TYPE.
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Article(db.Model):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    at_a_glance: Mapped[list[str]] = mapped_column(JSON, default=list)
    body_markdown: Mapped[str] = mapped_column(Text)
    # Rendered and sanitised on import; pages show it as is.
    body_html: Mapped[str] = mapped_column(Text)
    byline: Mapped[str] = mapped_column(String(200))
    author_bio: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    comment_mode: Mapped[CommentMode] = mapped_column(
        _stored_as_value(CommentMode), default=CommentMode.OPEN
    )
    # Bumped by every change to what readers see of the comments: keys shared caches.
    comments_version: Mapped[int] = mapped_column(default=1)

    comments: Mapped[list["Comment"]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def body_markup(self):
        return as_markup(self.body_html)


class Moderator(UserMixin, db.Model):
    __tablename__ = "moderators"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Part of the login id in every session cookie: bumping it ends every session at once
    # (logout, password change), including a stolen copy of the cookie.
    session_version: Mapped[int] = mapped_column(default=1)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last time step a code was accepted for, so a seen code cannot be used again.
    totp_last_step: Mapped[int | None] = mapped_column()
    recovery_code_hashes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Where alerts about held comments go (none without an address), one by one or as digests.
    email: Mapped[str | None] = mapped_column(String(254))
    alert_mode: Mapped[AlertMode] = mapped_column(
        _stored_as_value(AlertMode), default=AlertMode.EACH
    )
    # The end of the period the last digest covered.
    digest_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def end_all_sessions(self) -> None:
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)
        self.end_all_sessions()

    def password_needs_rehash(self) -> bool:
        return not self.password_hash.startswith(PASSWORD_HASH_METHOD + "$")

    def rehash_password(self, password: str) -> None:
        """Same password, current method; the moderator's sessions carry on."""
        self.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        # The article page: approved comments of one article, oldest first.
        Index("ix_comments_article_status_created", "article_id", "status", "created_at"),
        # The moderation queue: one status, oldest first.
        Index("ix_comments_status_created", "status", "created_at"),
        # Flood control and commenter history count recent comments by email and by IP; with
        # the status in the index, the desk's history is counted without reading any row.
        Index("ix_comments_email_created_status", "author_email", "created_at", "status"),
        Index("ix_comments_ip_created_status", "ip_address", "created_at", "status"),
        Index("ix_comments_author_name", "author_name"),
        # "Already said that": the same words on the same article, found without reading text.
        Index("ix_comments_article_fingerprint", "article_id", "body_fingerprint"),
        # The pending queue sorted by spam score, either way.
        Index("ix_comments_status_spam_score", "status", "spam_score"),
        # An imported comment is stored once per source, however often its file is imported.
        Index("ix_comments_source_id", "source", "source_id", unique=True),
        # Editors' picks: an article's, newest pick first, and the desk's Picks view.
        Index("ix_comments_article_picked", "article_id", "picked_at"),
        Index("ix_comments_picked", "picked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    author_name: Mapped[str] = mapped_column(String(100))
    # None once the commenter's personal data has been erased.
    author_email: Mapped[str | None] = mapped_column(String(254))
    author_website: Mapped[str | None] = mapped_column(String(200))
    # What the reader typed, kept for moderators and for re-cleaning after a safelist change.
    body_raw: Mapped[str] = mapped_column(Text)
    # bleach's output, made once on write; render never cleans again.
    body_html: Mapped[str] = mapped_column(Text)
    # SHA-256 of body_raw (see fingerprint_of): finds a repeated comment through an index.
    body_fingerprint: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[CommentStatus] = mapped_column(
        _stored_as_value(CommentStatus), default=CommentStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    # Why the rules held it or sent it to spam, as codes ("links:3", "held_word:casino").
    moderation_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL")
    )
    # Where "Not spam" and "Restore" send a comment back to.
    previous_status: Mapped[CommentStatus | None] = mapped_column(_stored_as_value(CommentStatus))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), index=True
    )
    # Set on replies the newsroom posts from the moderation desk.
    staff_author_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL")
    )
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The signed id the form carried: a double click or a retried POST finds the same comment.
    submission_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The spam filter's estimate when the comment arrived, 0 to 1; None while it was still
    # learning (app/spam_filter/).
    spam_score: Mapped[float | None] = mapped_column(Float)
    # What moderators' decisions on it taught the filter, and the keyed feature hashes taught,
    # so that a reversed decision unlearns exactly what was learned, even after an edit.
    taught_as: Mapped[SpamLabel | None] = mapped_column(_stored_as_value(SpamLabel))
    taught_features: Mapped[list[int] | None] = mapped_column(JSON)
    # Where an imported comment came from ("wordpress:https://old.example.com"), its id
    # there, and its parent's id there: a rerun skips what is stored and links replies whose
    # parent came later in the file (app/porting/). None for comments readers wrote here.
    source: Mapped[str | None] = mapped_column(String(120))
    source_id: Mapped[str | None] = mapped_column(String(120))
    source_parent_id: Mapped[str | None] = mapped_column(String(120))
    # An Editors' pick since then, chosen by that moderator; None when not picked. Only an
    # approved comment is ever picked: a status change away from approved clears both.
    picked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # No foreign key, like the audit log's ids: SQLite cannot add one to this table in place,
    # and rebuilding the table would drop its status-count triggers (migration 0008).
    # Moderators are disabled, never deleted; a missing one reads as nobody.
    picked_by_id: Mapped[int | None] = mapped_column()
    # Akismet's answer when it checked the comment, None if it never did (no AKISMET_API_KEY,
    # not a reader's comment, a failure) or the commenter was erased; and the correction a
    # moderator's decision last reported to it (submit-spam or submit-ham), if any.
    akismet_verdict: Mapped[AkismetVerdict | None] = mapped_column(_stored_as_value(AkismetVerdict))
    akismet_told: Mapped[SpamLabel | None] = mapped_column(_stored_as_value(SpamLabel))

    article: Mapped[Article] = relationship(back_populates="comments")
    status_changed_by: Mapped[Moderator | None] = relationship(foreign_keys=[status_changed_by_id])
    staff_author: Mapped[Moderator | None] = relationship(foreign_keys=[staff_author_id])
    picked_by: Mapped[Moderator | None] = relationship(
        primaryjoin="foreign(Comment.picked_by_id) == Moderator.id", viewonly=True
    )
    parent: Mapped["Comment | None"] = relationship(remote_side=[id])
    reports: Mapped[list["CommentReport"]] = relationship(
        back_populates="comment", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def body_markup(self):
        return as_markup(self.body_html)

    @validates("body_raw")
    def _keep_fingerprint(self, key: str, text: str) -> str:
        """Whenever the text is set (a new comment, an edit), its fingerprint follows."""
        self.body_fingerprint = fingerprint_of(text)
        return text


class ModerationEvent(db.Model):
    """One moderation action: who, when, what, from which status to which. Append-only.

    It keeps the comment's id but no foreign key and none of its text or its author's data,
    so the record outlives a permanently deleted or erased comment. An import or export of
    many comments is one event with no comment id (see ImportExportRun).
    """

    __tablename__ = "moderation_events"
    __table_args__ = (Index("ix_moderation_events_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int | None] = mapped_column(index=True)
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL")
    )
    # approve, unapprove, spam, not_spam, restore, trash, delete, edit, staff_reply, ...
    action: Mapped[AuditAction] = mapped_column(
        _stored_as_value(AuditAction, 32), default=AuditAction.STATUS
    )
    # None where there was no status before (a new reply) or after (a deleted comment).
    from_status: Mapped[CommentStatus | None] = mapped_column(_stored_as_value(CommentStatus))
    to_status: Mapped[CommentStatus | None] = mapped_column(_stored_as_value(CommentStatus))
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    moderator: Mapped[Moderator | None] = relationship()


class ImportExportRun(db.Model):
    """One run of import-comments or export-comments, with the summary it printed.

    Written when the run starts and again when it ends, so a run that stopped half-way says
    so, with what it had done. Counts and article slugs only: no names, emails or text.
    """

    __tablename__ = "import_export_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "import" or "export".
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(300))
    # wordpress, disqus or json.
    file_format: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "running", "finished", or "stopped" (by an error; a rerun continues).
    outcome: Mapped[str] = mapped_column(String(16), default="running")
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)


class LoginFailure(db.Model):
    """A failed login, counted to slow down guessing; pruned after a day."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_ip_created", "ip_address", "created_at"),
        Index("ix_login_failures_username_ip_created", "username", "ip_address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    ip_address: Mapped[str] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommentReport(db.Model):
    """A reader's flag on an approved comment. Not a status: the comment stays up meanwhile."""

    __tablename__ = "comment_reports"
    __table_args__ = (
        Index("ix_comment_reports_open", "resolved_at", "comment_id"),
        Index("ix_comment_reports_ip_created", "ip_address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    reason: Mapped[ReportReason] = mapped_column(_stored_as_value(ReportReason))
    note: Mapped[str] = mapped_column(Text, default="")
    ip_address: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL")
    )
    # "dismissed", or "acted" when a moderator changed the comment's status.
    resolution: Mapped[ReportResolution | None] = mapped_column(_stored_as_value(ReportResolution))

    comment: Mapped[Comment] = relationship(back_populates="reports")


class CommentRevision(db.Model):
    """The text a comment had before a moderator edited it; admins can read it."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body_raw: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    edited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL")
    )
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    edited_by: Mapped[Moderator | None] = relationship()

    @property
    def body_markup(self):
        return as_markup(self.body_html)


class BlockedSender(db.Model):
    """An email, domain or IP (or network) whose new comments go straight to spam."""

    __tablename__ = "blocked_senders"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[BlockKind] = mapped_column(_stored_as_value(BlockKind))
    value: Mapped[str] = mapped_column(String(254))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL")
    )


class SpamFilterCount(db.Model):
    """How many learned spam and good comments had a feature, by the feature's keyed hash.

    The row with feature_hash 0 (TOTALS_HASH) counts the comments learned; scoring reads it in
    the same statement as the comment's features.
    """

    __tablename__ = "spam_filter_counts"

    feature_hash: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    spam: Mapped[int] = mapped_column(default=0)
    good: Mapped[int] = mapped_column(default=0)


class SpamFilterFeatures(db.Model):
    """Which features, hashed with which key, the counts were learned with: one row, a keyed
    hash of the features' version (features.features_fingerprint). Without it or with another
    value, `init-db` learns every decision again; it says nothing of the version or the key.
    """

    __tablename__ = "spam_filter_features"

    fingerprint: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class SiteSetting(db.Model):
    """A setting an admin changed on the settings page; absent means the configured default."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL")
    )


class CommentStatusCount(db.Model):
    """How many comments each status holds, kept by database triggers (see migration 0003).

    The desk shows these counts on every page; counting 100,000 rows each time would not do.
    """

    __tablename__ = "comment_status_counts"

    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    total: Mapped[int] = mapped_column(default=0)


# Email: the outbox, readers' addresses and the notices they asked for (app/mail/,
# app/notifications/, app/subscriptions.py).


class OutgoingMessage(db.Model):
    """An email waiting to be sent (or sent), written in the transaction of its event.

    One recipient each. Sent messages are deleted after MAIL_KEEP_SENT_DAYS.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "sent_at", "failed_at", "next_attempt_at"),
        Index("ix_outbox_recipient_created", "recipient", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # moderator_alert, moderator_digest, confirm_address, published, reply, privacy_...
    kind: Mapped[MessageKind] = mapped_column(_stored_as_value(MessageKind, 32))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # Message-ID, List-Unsubscribe and the like, fixed when queued so retries send the same.
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    # A sender owns the message until then; a sender that died leaves it to the next one.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The server refused the recipient for good (5xx); never tried again.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The kind of error and the server's code, never its text (which can hold the address).
    last_error: Mapped[str | None] = mapped_column(String(200))


class ReaderAddress(db.Model):
    """An address a reader asked us to write to: notices go there only once it is confirmed."""

    __tablename__ = "reader_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower case, so one person is one row whatever they typed.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by an unsubscribe link: nothing more is sent here, confirmation requests included.
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CommentSubscription(db.Model):
    """The commenter ticked "notify me" on this comment."""

    __tablename__ = "comment_subscriptions"

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NoticeSent(db.Model):
    """A notice about this comment ("published", or "reply" to its parent) went out once."""

    __tablename__ = "notices_sent"

    kind: Mapped[MessageKind] = mapped_column(_stored_as_value(MessageKind), primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
