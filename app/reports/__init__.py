"""Readers flagging approved comments for a moderator's attention."""

from flask import Blueprint

from app.lazy_views import LazyViews

bp = Blueprint("reports", __name__)
views = LazyViews(bp, "app.reports.views")
views.route("/comments/<int:comment_id>/report", "report", methods=["GET", "POST"])
