"""Who may use the desk, and where an action sends the moderator back to."""

from flask import request
from flask import url_for
from flask_login import login_required

from app.auth.redirects import is_local_path
from app.auth.two_factor_views import require_admin_two_factor


@login_required
def require_moderator():
    """Every desk page needs a logged-in moderator (and an admin's second factor, if asked)."""
    return require_admin_two_factor()


DESK_PAGES = ("/moderation/",)
# Pick and Unpick are also beside the comments on a moderator's article page.
DESK_AND_ARTICLE_PAGES = ("/moderation/", "/articles/")


def return_path(allowed: tuple[str, ...] = DESK_PAGES) -> str:
    """Back to the desk page the moderator acted from: its queue, filter and page."""
    target = request.form.get("next", "")
    if is_local_path(target) and target.startswith(allowed):
        return target
    return url_for("moderation.queue")
