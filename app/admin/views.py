"""Admins' pages. Their routes, and the check that only admins reach them, are in
app/admin/__init__.py."""

import json
from collections.abc import Callable

from flask import Response
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from sqlalchemy import select

from app.admin.audit import AuditFilter
from app.admin.audit import audit_page
from app.admin.forms import AlertSettingsForm
from app.admin.forms import BlockForm
from app.admin.forms import CommenterForm
from app.admin.forms import CommentModeForm
from app.admin.forms import NewModeratorForm
from app.admin.forms import PasswordResetForm
from app.admin.forms import SettingsForm
from app.auth.accounts import AccountError
from app.auth.accounts import create_moderator
from app.auth.accounts import disable_moderator
from app.auth.accounts import enable_moderator
from app.auth.accounts import give_new_password
from app.auth.sessions import logged_in_moderator
from app.comments.availability import set_comment_mode
from app.extensions import db
from app.models import AlertMode
from app.models import Article
from app.models import BlockKind
from app.models import Comment
from app.models import CommentMode
from app.models import Moderator
from app.moderation.access import return_path
from app.moderation.blocklist import BlockError
from app.moderation.blocklist import block
from app.moderation.blocklist import blocked_entries
from app.moderation.blocklist import unblock
from app.notifications.moderators import AlertSettingsError
from app.notifications.moderators import change_alert_settings
from app.personal_data import anonymise_commenter
from app.personal_data import delete_commenter
from app.personal_data import export_commenter
from app.porting.runs import recent_runs
from app.site_settings import change_setting
from app.site_settings import current_settings

ERASERS = {
    "anonymise": (anonymise_commenter, "anonymised: shown as “Anonymous”, with no email or IP"),
    "delete": (delete_commenter, "deleted"),
}


def index():
    return render_template("admin/index.html")


# Moderators


def moderators():
    return moderators_page(NewModeratorForm())


def add_moderator():
    form = NewModeratorForm()
    if not form.validate_on_submit():
        return moderators_page(form, 400)
    try:
        create_moderator(form.username.data, form.password.data, is_admin=form.is_admin.data)
    except AccountError as error:
        form.username.errors.append(str(error))
        return moderators_page(form, 400)
    db.session.commit()
    flash(f"Moderator {form.username.data} added.")
    return redirect(url_for("admin.moderators"), code=303)


def disable_moderator_account(moderator_id: int):
    return change_another_moderator(moderator_id, disable_moderator, "disabled")


def enable_moderator_account(moderator_id: int):
    return change_another_moderator(moderator_id, enable_moderator, "enabled")


def new_moderator_password(moderator_id: int):
    password = PasswordResetForm().password.data or ""
    return change_another_moderator(
        moderator_id, lambda moderator: give_new_password(moderator, password), "password changed"
    )


def change_another_moderator(moderator_id: int, change: Callable[[Moderator], None], done: str):
    """An admin changes another moderator's account (never their own, here)."""
    moderator = db.session.get(Moderator, moderator_id) or abort(404)
    if moderator.id == current_user.id:
        return back_to_moderators("You can’t change your own account here; another admin can.")
    try:
        change(moderator)
    except AccountError as error:
        return back_to_moderators(str(error))
    db.session.commit()
    return back_to_moderators(f"{moderator.username}: {done}.")


def back_to_moderators(message: str):
    flash(message)
    return redirect(url_for("admin.moderators"), code=303)


def moderator_alerts(moderator_id: int):
    """Where and how a moderator hears about held comments (admins may set their own too)."""
    moderator = db.session.get(Moderator, moderator_id) or abort(404)
    form = AlertSettingsForm()
    if not form.validate_on_submit():
        flash("Those alert settings weren’t saved: please check the address.")
        return redirect(url_for("admin.moderators"), code=303)
    try:
        change_alert_settings(moderator, form.email.data, AlertMode(form.alert_mode.data))
    except AlertSettingsError as error:
        flash(str(error))
        return redirect(url_for("admin.moderators"), code=303)
    db.session.commit()
    flash(f"{moderator.username}: email alerts saved.")
    return redirect(url_for("admin.moderators"), code=303)


def moderators_page(form, status: int = 200):
    everyone = db.session.scalars(select(Moderator).order_by(Moderator.username)).all()
    body = render_template(
        "admin/moderators.html", moderators=everyone, form=form, reset_form=PasswordResetForm()
    )
    return body, status


# Settings and the block list


def settings():
    stored = current_settings()
    form = SettingsForm(
        data={
            "comments_enabled": stored["COMMENTS_ENABLED"],
            "comments_close_after_days": stored["COMMENTS_CLOSE_AFTER_DAYS"],
            "hold_link_count": stored["HOLD_LINK_COUNT"],
            "hold_words": "\n".join(stored["HOLD_WORDS"]),
            "spam_words": "\n".join(stored["SPAM_WORDS"]),
            "trusted_authors_auto_approve": stored["TRUSTED_AUTHORS_AUTO_APPROVE"],
        }
    )
    return settings_page(form)


def save_settings():
    form = SettingsForm()
    if not form.validate_on_submit():
        return settings_page(form, 400)
    values = {
        "COMMENTS_ENABLED": form.comments_enabled.data,
        "COMMENTS_CLOSE_AFTER_DAYS": form.comments_close_after_days.data or 0,
        "HOLD_LINK_COUNT": form.hold_link_count.data or 0,
        "HOLD_WORDS": word_list(form.hold_words.data),
        "SPAM_WORDS": word_list(form.spam_words.data),
        "TRUSTED_AUTHORS_AUTO_APPROVE": form.trusted_authors_auto_approve.data,
    }
    for name, value in values.items():
        change_setting(name, value, logged_in_moderator())
    db.session.commit()
    flash("Settings saved.")
    return redirect(url_for("admin.settings"), code=303)


def add_block():
    form = BlockForm()
    if not form.validate_on_submit():
        return settings_page(SettingsForm(formdata=None), 400, block_form=form)
    try:
        block(
            BlockKind(form.kind.data), form.value.data, logged_in_moderator(), form.note.data or ""
        )
    except BlockError as error:
        form.value.errors.append(str(error))
        return settings_page(SettingsForm(formdata=None), 400, block_form=form)
    db.session.commit()
    flash("Added to the block list: new comments from it go straight to spam.")
    return redirect(url_for("admin.settings", _anchor="block-list"), code=303)


def remove_block(block_id: int):
    unblock(block_id)
    db.session.commit()
    flash("Removed from the block list.")
    return redirect(url_for("admin.settings", _anchor="block-list"), code=303)


def block_from_comment(comment_id: int, by: str):
    comment = db.session.get(Comment, comment_id) or abort(404)
    if by == "email" and comment.author_email:
        block(
            BlockKind.EMAIL,
            comment.author_email,
            logged_in_moderator(),
            f"from comment {comment.id}",
        )
    elif by == "ip" and comment.ip_address:
        block(BlockKind.IP, comment.ip_address, logged_in_moderator(), f"from comment {comment.id}")
    else:
        abort(404)
    db.session.commit()
    what = "email address" if by == "email" else "IP address"
    flash(f"This {what} is blocked: its new comments go straight to spam.")
    return redirect(return_path(), code=303)


def settings_page(form, status: int = 200, block_form=None):
    body = render_template(
        "admin/settings.html",
        form=form,
        block_form=block_form or BlockForm(formdata=None),
        blocked=blocked_entries(),
    )
    return body, status


def word_list(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# Articles' comment modes


def articles():
    listed = db.session.scalars(
        select(Article).order_by(Article.published_at.desc()).limit(200)
    ).all()
    return render_template(
        "admin/articles.html", articles=listed, form=CommentModeForm(formdata=None)
    )


def article_comment_mode(article_id: int):
    article = db.session.get(Article, article_id) or abort(404)
    form = CommentModeForm()
    if not form.validate_on_submit():
        abort(400)
    set_comment_mode(article, CommentMode(form.mode.data))
    db.session.commit()
    flash(f"Comments on “{article.title}”: {form.mode.data}.")
    return redirect(url_for("admin.articles"), code=303)


# The audit log (read-only: there is no route that edits or deletes it)


def audit():
    audit_filter = AuditFilter(
        moderator_id=request.args.get("moderator", type=int),
        action=request.args.get("action") or None,
        comment_id=request.args.get("comment", type=int),
    )
    page = audit_page(audit_filter, max(1, request.args.get("page", 1, type=int)))
    everyone = db.session.scalars(select(Moderator).order_by(Moderator.username)).all()
    return render_template(
        "admin/audit.html", page=page, audit_filter=audit_filter, moderators=everyone
    )


# Import and export (the runs themselves are commands: files this big are no web request)


def import_export():
    return render_template("admin/import_export.html", runs=recent_runs())


# Personal data


def personal_data():
    return render_template("admin/personal_data.html", form=CommenterForm())


def export_personal_data():
    form = CommenterForm()
    if not form.validate_on_submit():
        return render_template("admin/personal_data.html", form=form), 400
    document = json.dumps(export_commenter(form.email.data), indent=2, ensure_ascii=False)
    # The address is in the body only: filenames and URLs end up in logs and histories.
    disposition = "attachment; filename=commenter-export.json"
    return Response(
        document, mimetype="application/json", headers={"Content-Disposition": disposition}
    )


def erase_personal_data(action: str):
    erase, done = ERASERS.get(action) or abort(404)
    form = CommenterForm()
    if not form.validate_on_submit():
        return render_template("admin/personal_data.html", form=form), 400
    if not form.confirm.data:
        form.confirm.errors = ["Please tick the box to confirm."]
        return render_template("admin/personal_data.html", form=form), 400
    count = erase(form.email.data)
    db.session.commit()
    flash(f"{count} comment{'' if count == 1 else 's'} {done}.")
    return redirect(url_for("admin.personal_data"), code=303)
