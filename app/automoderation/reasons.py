"""The reasons on a comment card, from stored codes ("links:3") to words ("3 links")."""

from collections.abc import Iterable

from app.models import AuditAction
from app.models import ReportReason

FIXED = {
    "honeypot": "filled in the hidden field (likely software)",
    "blocked_ip": "blocked IP address",
    "blocked_email": "blocked email address or domain",
    "staff_name": "name looks like staff",
    "article_held": "this article holds every comment",
    "first_comment": "first comment from this email",
    "akismet:spam": "akismet: spam",
    "akismet:discard": "akismet: blatant spam",
}
WITH_DETAIL = {
    "links": "{} links",
    "held_word": "held word: {}",
    "spam_word": "spam word: {}",
    "likely_spam": "likely spam ({}%)",
}
REPORT_REASONS = {
    ReportReason.SPAM: "spam",
    ReportReason.ABUSE: "abuse",
    ReportReason.OFF_TOPIC: "off-topic",
    ReportReason.OTHER: "other",
}


def describe(code: str) -> str:
    kind, _, detail = code.partition(":")
    if kind in WITH_DETAIL and detail:
        return WITH_DETAIL[kind].format(detail)
    return FIXED.get(code, code.replace("_", " "))


def describe_reports(counts: Iterable[tuple[ReportReason, int]]) -> list[str]:
    """e.g. "reported 2x: spam" for each reason readers gave."""
    return [f"reported {count}x: {REPORT_REASONS[reason]}" for reason, count in counts]


EVENT_VERBS = {
    "approve": "approved it",
    "unapprove": "sent it back to pending",
    "spam": "marked it as spam",
    "not_spam": "took it out of spam",
    "trash": "moved it to the trash",
    "restore": "restored it from the trash",
    "delete": "deleted it permanently",
    "edit": "edited it",
    "undo": "undid a change to it",
    "staff_reply": "posted it as the newsroom",
    "dismiss_reports": "dismissed its reports",
    "pick": "made it an Editors’ pick",
    "unpick": "took it out of the Editors’ picks",
}


def describe_event(event) -> str:
    """ "Sam marked it as spam", for the page that explains why an action did nothing."""
    if event is None:
        return "Someone else changed it"
    if event.action is AuditAction.TRUSTED_APPROVE:
        return "It was published at once, because its author is trusted"
    if event.action is AuditAction.AKISMET_SPAM:
        return "Akismet called it blatant spam, which sent it to spam"
    who = event.moderator.username if event.moderator else "A moderator"
    action = event.action.value
    return f"{who} {EVENT_VERBS.get(action, action.replace('_', ' '))}"
