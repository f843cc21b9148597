from flask import Blueprint
from flask import abort
from flask import render_template
from flask import session

from app import public
from app.comments.availability import closed_reason
from app.comments.forms import CommentForm
from app.comments.guard import kept_or_new_stamp
from app.comments.own import own_comment_ids
from app.models import Article

bp = Blueprint("articles", __name__)


@bp.get("/")
def home():
    articles = public.published_articles()
    counts = public.approved_comment_counts(articles)
    return render_template("articles/home.html", articles=articles, comment_counts=counts)


@bp.get("/articles/<slug>")
def show(slug: str):
    article = public.published_article(slug) or abort(404)
    return article_page(article, CommentForm())


def article_page(
    article: Article,
    form: CommentForm,
    status: int = 200,
    form_error: str = "",
    headers: dict[str, str] | None = None,
):
    """The article with its comments and the comment form, as this reader sees it."""
    form.stamp.data = kept_or_new_stamp(form.stamp.data)
    comments = public.comments_for_reader(article, own_comment_ids(session))
    approved_count = sum(not comment.awaiting_moderation for comment in comments)
    body = render_template(
        "articles/show.html",
        article=article,
        comments=comments,
        approved_count=approved_count,
        form=form,
        form_error=form_error,
        closed_reason=closed_reason(article),
    )
    # The form carries this reader's CSRF token: no shared cache may keep the page.
    return body, status, {"Cache-Control": "private, no-cache", **(headers or {})}
