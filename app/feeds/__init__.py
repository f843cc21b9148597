"""Atom feeds: the latest articles, and each article's approved comments."""

from flask import Blueprint

from app.lazy_views import LazyViews

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
views = LazyViews(bp, "app.feeds.views")
views.get("/articles.atom", "articles")
views.get("/articles/<slug>/comments.atom", "article_comments")
