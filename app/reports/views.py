"""A reader's report of a comment; its route is in app/reports/__init__.py."""

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

from app import public
from app.cross_origin import reader_form
from app.extensions import db
from app.models import ReportReason
from app.reports.filing import file_report
from app.reports.filing import refusal_for
from app.reports.forms import ReportForm


@reader_form
def report(comment_id: int):
    comment = public.approved_comment(comment_id) or abort(404)
    form = ReportForm()
    if not form.validate_on_submit():
        return report_page(comment, form, status=400 if form.is_submitted() else 200)
    refusal = refusal_for(comment, request.remote_addr)
    if refusal:
        message, status = refusal
        return report_page(comment, form, status, message)
    file_report(comment, ReportReason(form.reason.data), form.note.data or "", request.remote_addr)
    db.session.commit()
    flash("Thank you. A moderator will look at this comment.")
    target = url_for("articles.show", slug=comment.article.slug, _anchor=f"comment-{comment.id}")
    return redirect(target, code=303)


def report_page(comment, form, status: int = 200, message: str = ""):
    body = render_template(
        "reports/report.html",
        comment=public.public_comment(comment),
        article=comment.article,
        form=form,
        message=message,
    )
    return body, status, {"Cache-Control": "private, no-cache"}
