"""The moderators' desk: the review queue and the actions taken on comments."""

from flask import Blueprint
from flask import render_template
from werkzeug.exceptions import NotFound

from app.automoderation.reasons import describe_event
from app.errors import http_error
from app.lazy_views import LazyViews
from app.moderation.access import require_moderator
from app.moderation.actions import NotAllowed
from app.status_changes import StaleAction

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
bp.before_request(require_moderator)

pages = LazyViews(bp, "app.moderation.views")
pages.get("/", "queue", defaults={"queue_slug": "pending"})
pages.get("/<queue_slug>", "queue")
pages.get("/commenter/<int:comment_id>/<by>", "commenter")
pages.post("/search", "search")
pages.get("/overview", "overview_page")

buttons = LazyViews(bp, "app.moderation.action_views")
buttons.post("/comments/<int:comment_id>/<action_name>", "act")
buttons.post("/bulk", "bulk")
buttons.post("/undo", "undo")
buttons.post("/comments/<int:comment_id>/spam-all/<by>", "spam_all")
buttons.post("/comments/<int:comment_id>/pick", "pick")
buttons.post("/comments/<int:comment_id>/unpick", "unpick")
buttons.post("/comments/<int:comment_id>/dismiss-reports", "dismiss_reports")
buttons.route("/comments/<int:comment_id>/edit", "edit", methods=["GET", "POST"])
buttons.post("/comments/<int:comment_id>/reply", "reply")


@bp.errorhandler(StaleAction)
def changed_meanwhile(stale: StaleAction):
    """Nothing happened; say who got there first (409, a page a moderator can read)."""
    if stale.current is None and stale.last_event is None:
        return http_error(NotFound())  # never existed, rather than deleted meanwhile
    body = render_template(
        "moderation/conflict.html", stale=stale, what=describe_event(stale.last_event)
    )
    return body, 409


@bp.errorhandler(NotAllowed)
def not_allowed(error: NotAllowed):
    body = render_template(
        "errors/error.html", status=400, title="That can’t be done", message=str(error)
    )
    return body, 400
