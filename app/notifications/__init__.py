"""What email goes out when. The rest of the site reports two events, and this decides who
hears of them:

- `comment_arrived`: a new comment was stored (held, published or spam);
- `comment_approved`: a comment became approved (by a moderator, a link or trust);
- `comment_picked`: a moderator made an approved comment an Editors' pick.
"""

from app import subscriptions
from app.models import Comment
from app.models import CommentStatus
from app.notifications.moderators import alert_moderators
from app.notifications.readers import notify_picked
from app.notifications.readers import notify_published
from app.notifications.readers import notify_reply
from app.notifications.readers import request_confirmation


def comment_arrived(comment: Comment, wants_notices: bool) -> None:
    if wants_notices:
        address = subscriptions.subscribe(comment)
        # Software that filled in the form gets no say in whom we write to.
        if comment.status is not CommentStatus.SPAM:
            request_confirmation(address, comment)
    if comment.status is CommentStatus.PENDING:
        alert_moderators(comment)
    elif comment.status is CommentStatus.APPROVED:
        comment_approved(comment)


def comment_approved(comment: Comment) -> None:
    notify_published(comment)
    notify_reply(comment)


def comment_picked(comment: Comment) -> None:
    notify_picked(comment)
