from collections.abc import Callable
from collections.abc import Sequence
from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app import public
from app.articles.page_cache import KeptArticle
from app.articles.page_cache import page_for_any_reader
from app.comments.availability import closed_reason
from app.comments.forms import CommentForm
from app.comments.listing import DiscussionOrder
from app.comments.listing import clamped_page
from app.comments.listing import comment_page
from app.comments.listing import discussion_url
from app.comments.listing import page_for_comment
from app.comments.listing import reply_target_for
from app.comments.own import own_comment_ids
from app.comments.remembered import remembered_details
from app.database import reading_connection
from app.models import Article
from app.public_copies import public_copies_of
from app.site_settings import current_settings

bp = Blueprint("articles", __name__)
# Every link to a page of a discussion is made in its one canonical form.
bp.add_app_template_global(discussion_url)
bp.add_app_template_global(list(DiscussionOrder), "discussion_orders")

# A form shown again carries what this reader typed: no shared cache may keep it.
PRIVATE_PAGE = {"Cache-Control": "private, no-cache"}


@bp.get("/")
def home():
    articles = public.published_articles()
    counts = public.approved_comment_counts(articles)
    return render_template("articles/home.html", articles=articles, comment_counts=counts)


@bp.get("/articles/<slug>")
def show(slug: str):
    remembered = remembered_details(request)
    # "Reply" works without JavaScript: a link with ?replytocom=ID#respond.
    replying_to = query_value("replytocom", convert=int)
    if remembered is None and not replying_to:
        # Most readers: the kept page needs only the article's version, not its body. A
        # reader's own comments awaiting moderation are put into it (page_cache.py).
        with reading_connection():
            found, pending = public.published_article_with_own_pending(
                slug, own_comment_ids(session)
            )
            version = found or abort(404)
            closed = closed_reason(version, settings=settings_for_pages())
        return kept_page(version, closed, pending)
    article = public.published_article(slug) or abort(404)
    form = CommentForm(data=remembered)
    form.parent.data = replying_to
    return article_page(article, form)


def settings_for_pages() -> dict[str, Any]:
    """The settings as a kept page shows them (whether its discussion is open): read at most
    once per PUBLIC_COPY_TRUST_SECONDS in a worker, and again after any commit in it.

    A change reaches every public copy in that time (app/public_copies/), so a reader's own
    page needs it no sooner; it saves that reader's page a statement. Whatever acts on a
    setting (a comment POST, the admin page) reads current_settings().
    """
    return public_copies_of(current_app).kept_while_trusted("site settings", current_settings)


def kept_page(article: KeptArticle, closed: str | None, own_pending: Sequence = ()):
    order = chosen_order()
    page_number = clamped_page(article, query_value("page", 1, convert=int), order)
    # Public or private: app/public_copies/ decides, by the reader's cookies.
    return page_for_any_reader(article, page_number, closed, order, own_pending)


def chosen_order() -> DiscussionOrder:
    """The reader's order (?order=newest); anything else is the default, oldest first."""
    return DiscussionOrder.by_slug(query_value("order"))


def query_value(name: str, default: Any = None, convert: Callable[[str], Any] | None = None) -> Any:
    """request.args.get, asking first whether the address has the name at all: werkzeug
    answers a missing one by raising an HTTP exception inside, which costs more than the
    lookup, on nearly every article page (most addresses have no query)."""
    if name not in request.args:
        return default
    return request.args.get(name, default, type=convert)


@bp.get("/comments/<int:comment_id>")
def permalink(comment_id: int):
    """A comment's lasting address: the article page it is on now, at the comment."""
    comment = public.approved_comment(comment_id) or abort(404)
    page = page_for_comment(comment.article, comment.id)
    target = url_for(
        "articles.show",
        slug=comment.article.slug,
        page=page if page > 1 else None,
        _anchor=f"comment-{comment.id}",
    )
    return redirect(target, code=301)


def article_page(
    article: Article,
    form: CommentForm,
    status: int = 200,
    form_error: str = "",
    headers: dict[str, str] | None = None,
):
    """The article with its comments and the comment form, as this reader sees it."""
    page_number = request.args.get("page", 1, type=int)
    comments = comment_page(article, page_number, own_comment_ids(session), chosen_order())
    comments.staff_tools = current_user.is_authenticated
    replying_to, reply_problem = reply_target_for(article, form.parent.data)
    if reply_problem:
        form.parent.data = None
    body = render_template(
        "articles/show.html",
        article=article,
        comments=comments,
        approved_count=comments.total_approved,
        form=form,
        form_error=form_error or reply_problem,
        replying_to=replying_to,
        closed_reason=closed_reason(article),
        staff_csrf=generate_csrf() if comments.staff_tools else "",
    )
    return body, status, {**PRIVATE_PAGE, **(headers or {})}
