"""The comment form's requests, on the article page's blueprint: the form is part of the page,
and a form sent back with its errors is the article page again."""

from flask import abort
from flask import redirect
from flask import request
from flask import session
from flask import url_for
from sqlalchemy.exc import OperationalError

from app import errors
from app import public
from app.articles.views import article_page
from app.articles.views import bp
from app.comments.availability import closed_reason
from app.comments.forms import CommentForm
from app.comments.guard import Refusal
from app.comments.guard import new_form_stamp
from app.comments.guard import valid_or_new_stamp
from app.comments.listing import page_for_new_comment
from app.comments.own import remember_own_comment
from app.comments.remembered import forget_details
from app.comments.remembered import remember_details
from app.comments.submission import ClientDetails
from app.comments.submission import receive_comment
from app.cross_origin import reader_form
from app.database import read_only_from_now
from app.database import reads_first
from app.extensions import db
from app.models import CommentStatus

BUSY = (
    "We’re very busy and couldn’t save your comment just now. Nothing was lost: "
    "your text is below. Please send it again in a few seconds."
)


@bp.get("/comments/form-stamp")
def comment_form_stamp():
    """A signed stamp for the comment form, asked for when the reader first focuses it.

    The article page is one public copy for every reader, so the stamp (how long the reader
    took, and an id that makes a resent form harmless) cannot be in it.
    """
    return {"stamp": new_form_stamp()}, {"Cache-Control": "no-store"}


@bp.post("/articles/<slug>/comments")
@reader_form
def create_comment(slug: str):
    reads_first()  # the write lock only for the writing: see receive_comment
    form = CommentForm()
    # Checked and cleaned before the first query: a POST's transaction takes the database's
    # write lock at its first statement (app/database.py), and every other worker's comment
    # waits while it is held, so the work that needs no database comes first.
    fields = form.fields() if form.validate_on_submit() else None
    if fields is None:
        read_only_from_now()  # a form shown again with its errors writes nothing
    article = public.published_article_to_comment_on(slug) or abort(404)
    closed = closed_reason(article)
    if closed:
        return form_again(article, form, 403, closed)
    if fields is None:
        return form_again(article, form, status=400)
    client = ClientDetails(request.remote_addr, request.user_agent.string, request.referrer)
    outcome = receive_comment(article, fields, client)
    if isinstance(outcome, Refusal):
        headers = {"Retry-After": str(outcome.retry_after)} if outcome.retry_after else {}
        return form_again(article, form, outcome.status, outcome.message, headers)
    # Worked out before the commit expires what the session loaded.
    target, comment_id = where_it_will_be_read(outcome), outcome.id
    db.session.commit()
    return back_to_the_comment(comment_id, target, form)


def form_again(article, form: CommentForm, status: int, message: str = "", headers=None):
    """The article with the reader's form and what they typed, and a stamp to send it with.

    The stamp is kept while it is valid (its id makes a resend harmless), else a new one:
    a reader without JavaScript sent none, and sends this one with their second press.
    """
    form.stamp.data = valid_or_new_stamp(form.stamp.data)
    return article_page(article, form, status, message, headers)


def back_to_the_comment(comment_id: int, target: str, form: CommentForm):
    """Post/Redirect/Get to the page the new comment is on, remembering what was asked."""
    remember_own_comment(session, comment_id)
    response = redirect(target, code=303)
    if form.remember.data:
        remember_details(response, request, form.name.data, form.email.data, form.website.data)
    else:
        forget_details(response, request)
    return response


def where_it_will_be_read(comment) -> str:
    """The page of the comment (a resent form's comment may be on another article)."""
    if comment.status is CommentStatus.APPROVED:
        # Published at once (a trusted author): it may have started a new page.
        return url_for("articles.permalink", comment_id=comment.id)
    return url_for(
        "articles.show",
        slug=comment.article.slug,
        page=page_for_new_comment(comment.article, comment.parent_id),
        _anchor=f"comment-{comment.id}",
    )


@bp.errorhandler(OperationalError)
def database_busy(error: OperationalError):
    """The database stayed locked: nothing was stored, so give the reader their text back.

    The form keeps its stamp, so sending it again cannot store the comment twice. A page
    (not a form) that finds the database unavailable gets the site's 503.
    """
    if request.endpoint != "articles.create_comment":
        return errors.database_unavailable(error)
    read_only_from_now()
    headers = {"Retry-After": str(errors.RETRY_AFTER_BUSY_SECONDS)}
    try:
        article = public.published_article((request.view_args or {}).get("slug", ""))
    except OperationalError:
        return errors.database_unavailable(error)
    if article is None:
        return errors.database_unavailable(error)
    errors.logger.warning("Database busy, comment form shown again with 503: %s", error.orig)
    return form_again(article, CommentForm(), 503, BUSY, headers)
