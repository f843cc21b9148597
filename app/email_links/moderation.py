"""Reading the action links in moderators' alerts (app/notifications/action_links.py makes them).

Once anything has changed the comment (this link's own action, another moderator, an undo),
the link no longer acts and tells who did what instead: that is what makes it work once.
The action itself goes through the desk's `apply`, so the audit log and the stale check
apply exactly as on the desk.
"""

from dataclasses import dataclass

from app.audit import last_event
from app.automoderation.reasons import describe_event
from app.extensions import db
from app.models import AuditAction
from app.models import Comment
from app.models import CommentStatus
from app.models import ModerationEvent
from app.models import Moderator
from app.moderation.actions import ACTIONS
from app.moderation.actions import Action
from app.notifications.action_links import EMAIL_ACTIONS
from app.notifications.action_links import status_changed_mark


class UnusableLink(Exception):
    """Signed by us, but naming an action or moderator that cannot act (any more)."""


@dataclass(frozen=True)
class ModerationLink:
    comment_id: int
    action: Action
    moderator: Moderator
    seen: CommentStatus
    seen_changed_at: str


@dataclass(frozen=True)
class LinkState:
    link: ModerationLink
    comment: Comment | None
    # The comment changed since the email was sent (or is gone): the link will not act.
    changed: bool = False
    # What changed it last, to say who did what.
    last_event: ModerationEvent | None = None

    @property
    def can_act(self) -> bool:
        return self.comment is not None and not self.changed


def link_from(payload: dict) -> ModerationLink:
    action = ACTIONS.get(payload.get("a")) if payload.get("a") in EMAIL_ACTIONS else None
    moderator_id = payload.get("m")
    moderator = db.session.get(Moderator, moderator_id) if isinstance(moderator_id, int) else None
    if action is None or not isinstance(payload.get("c"), int):
        raise UnusableLink("This link does not name an action we know.")
    if moderator is None or not moderator.is_active:
        raise UnusableLink("The moderator account this link was sent to is no longer active.")
    try:
        seen = CommentStatus(payload.get("s"))
    except ValueError as error:
        raise UnusableLink("This link does not name an action we know.") from error
    return ModerationLink(payload["c"], action, moderator, seen, str(payload.get("t", "")))


def state_of(link: ModerationLink) -> LinkState:
    comment = db.session.get(Comment, link.comment_id)
    if comment is None:
        return LinkState(link, None, True, last_event(link.comment_id))
    if comment.status is link.seen and status_changed_mark(comment) == link.seen_changed_at:
        return LinkState(link, comment)
    return LinkState(link, comment, True, last_event(comment.id))


def what_happened(state: LinkState) -> str:
    """ "Sam approved it", for a link that will not act any more."""
    event = state.last_event
    if event is not None and event.action is AuditAction.TRUSTED_APPROVE:
        return "It was published automatically: its author is trusted"
    if state.comment is None and event is None:
        return "It has been deleted"
    return describe_event(event)
