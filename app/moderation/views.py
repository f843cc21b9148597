from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.two_factor_views import require_admin_two_factor
from app.extensions import db
from app.models import Comment
from app.models import CommentStatus
from app.moderation.actions import ACTIONS

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.before_request
@login_required
def require_moderator():
    """Every page of the desk needs a logged-in moderator (admins with two-factor, if asked)."""
    return require_admin_two_factor()


@bp.get("/")
def queue():
    query = (
        select(Comment)
        .where(Comment.status == CommentStatus.PENDING)
        .order_by(Comment.created_at, Comment.id)
        .options(selectinload(Comment.article))
    )
    page = db.paginate(query, per_page=_page_size(), max_per_page=_page_size(), error_out=False)
    return render_template("moderation/queue.html", page=page)


@bp.post("/comments/<int:comment_id>/<action>")
def act(comment_id: int, action: str):
    change, done = ACTIONS.get(action) or abort(404)
    comment = db.session.get(Comment, comment_id) or abort(404)
    change(comment, current_user._get_current_object())
    db.session.commit()
    flash(f"Comment by {comment.author_name} {done}.")
    return redirect(url_for("moderation.queue", page=request.args.get("page", type=int)), code=303)


def _page_size() -> int:
    return current_app.config["MODERATION_PAGE_SIZE"]
