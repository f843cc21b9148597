"""Making the action links in moderators' alerts (app/email_links/moderation.py reads them).

A link is bound to one comment, one action and one moderator, and carries the status the
comment had and when that status last changed, so it acts only on the comment as mailed.
"""

from app.mail.links import sign
from app.mail.links import site_link
from app.models import Comment
from app.models import Moderator

PURPOSE = "moderate"
# What an alert offers; the rest needs the desk.
EMAIL_ACTIONS = ("approve", "spam", "trash")


def status_changed_mark(comment: Comment) -> str:
    return comment.status_changed_at.isoformat() if comment.status_changed_at else ""


def moderation_link_url(comment: Comment, action_name: str, moderator: Moderator) -> str:
    payload = {
        "c": comment.id,
        "a": action_name,
        "m": moderator.id,
        "s": comment.status.value,
        "t": status_changed_mark(comment),
    }
    return site_link("email_links.moderate", token=sign(PURPOSE, payload))
