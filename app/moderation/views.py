"""The desk's pages; their routes are in app/moderation/__init__.py."""

from flask import abort
from flask import current_app
from flask import redirect
from flask import render_template
from flask import request
from flask import session

from app.extensions import db
from app.models import Comment
from app.moderation import overview
from app.moderation.access import return_path
from app.moderation.actions import ACTIONS
from app.moderation.queues import HISTORY_LIMIT
from app.moderation.queues import DeskFilter
from app.moderation.queues import Queue
from app.moderation.queues import QueueOrder
from app.moderation.queues import article_choices
from app.moderation.queues import desk_page
from app.moderation.queues import queue_counts
from app.spam_filter.scoring import readiness

# The search term lives in the session, so emails and names searched for never sit in a
# URL (and so never in an access log, a proxy's log or the browser's history).
SEARCH_KEY = "desk_search"
SEARCH_LIMIT = 200


def queue(queue_slug: str):
    chosen = Queue.by_slug(queue_slug) or abort(404)
    desk_filter = DeskFilter(
        article_id=request.args.get("article", type=int), search=session.get(SEARCH_KEY, "")
    )
    return desk(chosen, desk_filter)


def commenter(comment_id: int, by: str):
    """Everything one email address (or IP address) has written, whatever its status."""
    comment = db.session.get(Comment, comment_id) or abort(404)
    if by == "email" and comment.author_email:
        desk_filter = DeskFilter(email=comment.author_email)
    elif by == "ip" and comment.ip_address:
        desk_filter = DeskFilter(ip_address=comment.ip_address)
    else:
        abort(404)
    return desk(None, desk_filter, commenter_of=comment, by=by)


def search():
    term = " ".join(request.form.get("q", "").split())[:SEARCH_LIMIT]
    if term:
        session[SEARCH_KEY] = term
    else:
        session.pop(SEARCH_KEY, None)
    return redirect(return_path(), code=303)


def overview_page():
    return render_template(
        "moderation/overview.html",
        counts=queue_counts(),
        queues=list(Queue),
        stats=overview.last_30_days(),
    )


def desk(queue: Queue | None, desk_filter: DeskFilter, **extra):
    page_number = max(1, request.args.get("page", 1, type=int))
    size = current_app.config["MODERATION_PAGE_SIZE"]
    counts = queue_counts()
    order = QueueOrder.by_slug(request.args.get("order"))
    page = desk_page(queue, desk_filter, page_number, size, counts, order)
    return render_template(
        "moderation/queue.html",
        queue=queue,
        queues=list(Queue),
        counts=counts,
        page=page,
        desk_filter=desk_filter,
        articles=article_choices(),
        actions=ACTIONS,
        history_limit=HISTORY_LIMIT,
        here=request.full_path.rstrip("?"),
        order=order,
        orders=list(QueueOrder),
        # Only the pending queue says how far the filter has come (one small read).
        sortable_by_score=queue is Queue.PENDING,
        spam_filter=readiness() if queue is Queue.PENDING else None,
        **extra,
    )
