"""The desk's buttons: every change is a POST with CSRF, carrying the status the moderator saw.
Their routes, and the answers to a stale or refused action, are in app/moderation/__init__.py."""

from collections import Counter

from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask_login import current_user
from sqlalchemy import select

from app.auth.sessions import logged_in_moderator
from app.extensions import db
from app.models import Comment
from app.models import CommentRevision
from app.models import CommentStatus
from app.moderation import actions
from app.moderation import picks
from app.moderation.access import DESK_AND_ARTICLE_PAGES
from app.moderation.access import return_path
from app.moderation.actions import ACTIONS
from app.moderation.actions import NotAllowed
from app.moderation.blocklist import spam_everything_from
from app.moderation.edits import edit_comment
from app.moderation.edits import reply_as_newsroom
from app.moderation.forms import EditForm
from app.moderation.forms import ReplyForm
from app.status_changes import Change
from app.status_changes import StaleAction

UNDO_KEY = "desk_undo"


def act(comment_id: int, action_name: str):
    moderator = logged_in_moderator()
    if action_name == "delete":
        actions.delete_permanently(comment_id, seen_status(), moderator)
        db.session.commit()
        flash("Comment deleted permanently.")
        return redirect(return_path(), code=303)
    action = ACTIONS.get(action_name) or abort(404)
    change = actions.apply(action, comment_id, seen_status(), moderator)
    db.session.commit()
    offer_undo([change], f"Comment by {author_of(comment_id)} {action.done}.")
    return redirect(return_path(), code=303)


def bulk():
    action = ACTIONS.get(request.form.get("action", "")) or abort(400)
    chosen = "page_ids" if request.form.get("scope") == "page" else "ids"
    ids = request.form.getlist(chosen, type=int)
    seen_by_id = {}
    for comment_id in ids:
        seen = request.form.get(f"seen-{comment_id}", "")
        if seen in {status.value for status in CommentStatus}:
            seen_by_id[comment_id] = CommentStatus(seen)
    if not seen_by_id:
        flash("Nothing was selected.")
        return redirect(return_path(), code=303)
    outcome = actions.apply_to_many(action, seen_by_id, logged_in_moderator())
    db.session.commit()
    offer_undo(outcome.changed, bulk_summary(action, outcome))
    return redirect(return_path(), code=303)


def undo():
    stored = session.pop(UNDO_KEY, None) or []
    undone, stale = 0, []
    for comment_id, before, after, previous in stored:
        change = Change(
            comment_id,
            CommentStatus(before),
            CommentStatus(after),
            CommentStatus(previous) if previous else None,
        )
        try:
            actions.undo(change, logged_in_moderator())
            undone += 1
        except StaleAction as changed:
            stale.append(changed)
    db.session.commit()
    message = f"Undone: {undone} comment{'' if undone == 1 else 's'} put back."
    if stale:
        message += f" {len(stale)} had changed since and were left alone."
    flash(message)
    return redirect(return_path(), code=303)


def spam_all(comment_id: int, by: str):
    if by not in {"email", "ip"}:
        abort(404)
    comment = db.session.get(Comment, comment_id) or abort(404)
    changes = spam_everything_from(comment, by, logged_in_moderator())
    db.session.commit()
    source = "email address" if by == "email" else "IP address"
    offer_undo(changes, f"{len(changes)} comments from this {source} marked as spam.")
    return redirect(return_path(), code=303)


def pick(comment_id: int):
    """From the desk card or beside the comment on the article page; back to either."""
    changed = picks.pick(comment_id, seen_status(), logged_in_moderator())
    return after_pick_or_unpick(
        comment_id, "is now an Editors’ pick" if changed else "already was an Editors’ pick"
    )


def unpick(comment_id: int):
    changed = picks.unpick(comment_id, seen_status(), logged_in_moderator())
    return after_pick_or_unpick(
        comment_id, "is no longer an Editors’ pick" if changed else "was not an Editors’ pick"
    )


def after_pick_or_unpick(comment_id: int, what_happened: str):
    message = f"Comment by {author_of(comment_id)} {what_happened}."
    db.session.commit()
    flash(message)
    return redirect(return_path(DESK_AND_ARTICLE_PAGES), code=303)


def dismiss_reports(comment_id: int):
    closed = actions.dismiss_reports(comment_id, logged_in_moderator())
    db.session.commit()
    flash(f"{closed} report{'' if closed == 1 else 's'} dismissed; the comment stays up.")
    return redirect(return_path(), code=303)


def edit(comment_id: int):
    comment = db.session.get(Comment, comment_id) or abort(404)
    form = EditForm(data={"body": comment.body_raw} if request.method == "GET" else None)
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        body = render_template(
            "moderation/edit.html", comment=comment, form=form, revisions=revisions_of(comment)
        )
        return body, status
    edit_comment(comment, form.body.data, logged_in_moderator())
    db.session.commit()
    flash(f"Comment by {comment.author_name} edited; the earlier text is kept for admins.")
    return redirect(return_path(), code=303)


def reply(comment_id: int):
    """Approve and reply: the comment goes up with the newsroom's answer under it."""
    comment = db.session.get(Comment, comment_id) or abort(404)
    form = ReplyForm()
    if not form.validate_on_submit():
        flash(form.errors_as_sentence())
        return redirect(return_path(), code=303)
    seen = seen_status()
    if seen is CommentStatus.PENDING:
        actions.apply(ACTIONS["approve"], comment_id, seen, logged_in_moderator())
    elif seen is not CommentStatus.APPROVED:
        raise NotAllowed("Only pending or approved comments can be answered.")
    reply_as_newsroom(
        comment, form.body.data, logged_in_moderator(), current_app.config["SITE_NAME"]
    )
    db.session.commit()
    flash(f"Comment by {comment.author_name} approved, with the newsroom’s reply under it.")
    return redirect(return_path(), code=303)


def revisions_of(comment: Comment) -> list[CommentRevision]:
    """Earlier texts, for admins only: they may hold what a moderator redacted."""
    if not current_user.is_admin:
        return []
    return db.session.scalars(
        select(CommentRevision)
        .where(CommentRevision.comment_id == comment.id)
        .order_by(CommentRevision.edited_at.desc())
    ).all()


def seen_status() -> CommentStatus:
    try:
        return CommentStatus(request.form.get("seen", ""))
    except ValueError:
        abort(400)


def author_of(comment_id: int) -> str:
    comment = db.session.get(Comment, comment_id)
    return comment.author_name if comment else "a reader"


def offer_undo(changes: list[Change], message: str) -> None:
    session[UNDO_KEY] = [
        [
            change.comment_id,
            change.before.value,
            change.after.value,
            change.previous_before.value if change.previous_before else None,
        ]
        for change in changes
    ]
    flash(message, "undo" if changes else "message")


def bulk_summary(action, outcome) -> str:
    """e.g. "2 approved, 1 skipped: already spam by Sam"."""
    parts = [f"{len(outcome.changed)} {action.done}"]
    if outcome.skipped:
        phrases = Counter(skipped_phrase(stale) for stale in outcome.skipped)
        details = "; ".join(
            f"{count} {phrase}" if count > 1 else phrase for phrase, count in phrases.items()
        )
        parts.append(f"{len(outcome.skipped)} skipped: {details}")
    if outcome.not_applicable:
        parts.append(
            f"{len(outcome.not_applicable)} left as they were ({action.label} does not apply)"
        )
    return ", ".join(parts)


def skipped_phrase(stale: StaleAction) -> str:
    if stale.current is None:
        return "deleted meanwhile"
    who = (
        stale.last_event.moderator.username
        if stale.last_event and stale.last_event.moderator
        else "someone"
    )
    return f"already {stale.current.value} by {who}"
