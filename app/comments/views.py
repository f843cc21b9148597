from flask import Blueprint
from flask import abort
from flask import redirect
from flask import request
from flask import session
from flask import url_for
from flask_wtf.csrf import CSRFError

from app import public
from app.articles.views import article_page
from app.comments.availability import closed_reason
from app.comments.forms import CommentForm
from app.comments.guard import EXPIRED
from app.comments.guard import Refusal
from app.comments.own import remember_own_comment
from app.comments.submission import ClientDetails
from app.comments.submission import receive_comment
from app.extensions import db

bp = Blueprint("comments", __name__)


@bp.post("/articles/<slug>/comments")
def create(slug: str):
    article = public.published_article(slug) or abort(404)
    form = CommentForm()
    closed = closed_reason(article)
    if closed:
        return article_page(article, form, status=403, form_error=closed)
    if not form.validate_on_submit():
        return article_page(article, form, status=400)
    outcome = receive_comment(
        article, form.fields(), ClientDetails(request.remote_addr, request.user_agent.string)
    )
    if isinstance(outcome, Refusal):
        headers = {"Retry-After": str(outcome.retry_after)} if outcome.retry_after else {}
        return article_page(article, form, outcome.status, outcome.message, headers)
    db.session.commit()
    remember_own_comment(session, outcome.id)
    target = url_for("articles.show", slug=article.slug, _anchor=f"comment-{outcome.id}")
    return redirect(target, code=303)


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError):
    """Re-show the form with the reader's text rather than a bare error page."""
    slug = (request.view_args or {}).get("slug", "")
    article = public.published_article(slug) or abort(404)
    return article_page(article, CommentForm(), status=400, form_error=EXPIRED)
