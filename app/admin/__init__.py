"""Admins' pages: the tools only an admin may use."""

from flask import Blueprint
from flask import abort
from flask_login import current_user
from flask_login import login_required

from app.auth.two_factor_views import require_admin_two_factor
from app.lazy_views import LazyViews

bp = Blueprint("admin", __name__, url_prefix="/admin")
views = LazyViews(bp, "app.admin.views")
views.get("/", "index")
views.get("/moderators", "moderators")
views.post("/moderators", "add_moderator")
views.post("/moderators/<int:moderator_id>/disable", "disable_moderator_account")
views.post("/moderators/<int:moderator_id>/enable", "enable_moderator_account")
views.post("/moderators/<int:moderator_id>/password", "new_moderator_password")
views.post("/moderators/<int:moderator_id>/alerts", "moderator_alerts")
views.get("/settings", "settings")
views.post("/settings", "save_settings")
views.post("/block-list", "add_block")
views.post("/block-list/<int:block_id>/remove", "remove_block")
views.post("/block-list/from-comment/<int:comment_id>/<by>", "block_from_comment")
views.get("/articles", "articles")
views.post("/articles/<int:article_id>/comments", "article_comment_mode")
views.get("/audit", "audit")
views.get("/import-export", "import_export")
views.get("/personal-data", "personal_data")
views.post("/personal-data/export", "export_personal_data")
views.post("/personal-data/<action>", "erase_personal_data")


@bp.before_request
@login_required
def require_admin():
    if not current_user.is_admin:
        abort(403)
    return require_admin_two_factor()
