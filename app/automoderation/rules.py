"""Auto-moderation: small pure rules over plain values, each returning a finding or None.

A finding either holds a comment for a moderator (it stays pending, with the reason shown
on its card) or sends it straight to spam. Nothing here touches a request or the database:
`ModerationPolicy` carries everything the rules need.
"""

import enum
import ipaddress
import math
import re
import unicodedata
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from app.automoderation.lookalikes import skeleton

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_LINK = re.compile(r"<a\b")
_URL_TEXT = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)


class Verdict(enum.Enum):
    HOLD = "hold"
    SPAM = "spam"


@dataclass(frozen=True)
class Finding:
    verdict: Verdict
    reason: str


@dataclass(frozen=True)
class Submission:
    """The parts of a new comment the rules look at."""

    name: str
    email: str
    website: str
    body: str
    body_html: str
    ip_address: str | None
    honeypot: str = ""
    # The spam filter's score (0 to 1), None while it is still learning.
    spam_score: float | None = None


@dataclass(frozen=True)
class ModerationPolicy:
    hold_link_count: int = 2
    hold_words: tuple[str, ...] = ()
    spam_words: tuple[str, ...] = ()
    spam_networks: tuple[IPNetwork, ...] = ()
    # Whole addresses ("a@b.org") and whole domains ("@b.org"), lower case.
    spam_emails: frozenset[str] = field(default_factory=frozenset)
    staff_skeletons: frozenset[str] = field(default_factory=frozenset)
    # Spam filter scores at or above which a comment is held, or sent to spam; None: never.
    spam_filter_hold_at: float | None = None
    spam_filter_spam_at: float | None = None

    @classmethod
    def from_lists(
        cls,
        *,
        hold_link_count: int,
        hold_words: Iterable[str] = (),
        spam_words: Iterable[str] = (),
        spam_ips: Iterable[str] = (),
        spam_emails: Iterable[str] = (),
        staff_names: Iterable[str] = (),
        spam_filter_hold_at: float | None = None,
        spam_filter_spam_at: float | None = None,
    ) -> "ModerationPolicy":
        return cls(
            hold_link_count=hold_link_count,
            hold_words=tuple(_fold(word) for word in hold_words if word.strip()),
            spam_words=tuple(_fold(word) for word in spam_words if word.strip()),
            spam_networks=tuple(
                ipaddress.ip_network(entry.strip(), strict=False)
                for entry in spam_ips
                if entry.strip()
            ),
            spam_emails=frozenset(entry.strip().lower() for entry in spam_emails if entry.strip()),
            staff_skeletons=frozenset(skeleton(name) for name in staff_names if skeleton(name)),
            spam_filter_hold_at=_score_line(spam_filter_hold_at, "SPAM_FILTER_HOLD_AT"),
            spam_filter_spam_at=_score_line(spam_filter_spam_at, "SPAM_FILTER_SPAM_AT"),
        )


def honeypot_filled(submission: Submission, policy: ModerationPolicy) -> Finding | None:
    # People never see the field; software that fills in every box does.
    return Finding(Verdict.SPAM, "honeypot") if submission.honeypot.strip() else None


def blocked_ip(submission: Submission, policy: ModerationPolicy) -> Finding | None:
    if not submission.ip_address or not policy.spam_networks:
        return None
    try:
        address = ipaddress.ip_address(submission.ip_address)
    except ValueError:
        return None
    if any(address in network for network in policy.spam_networks):
        return Finding(Verdict.SPAM, "blocked_ip")
    return None


def blocked_email(submission: Submission, policy: ModerationPolicy) -> Finding | None:
    email = submission.email.lower()
    domain = "@" + email.rpartition("@")[2]
    if email in policy.spam_emails or domain in policy.spam_emails:
        return Finding(Verdict.SPAM, "blocked_email")
    return None


def spam_word(submission: Submission, policy: ModerationPolicy) -> Finding | None:
    word = _first_word_in(_all_text(submission), policy.spam_words)
    return Finding(Verdict.SPAM, f"spam_word:{word}") if word else None


def too_many_links(submission: Submission, policy: ModerationPolicy) -> Finding | None:
    # Links as shown, or addresses typed in a way the linkifier left as text: whichever is more.
    links = max(len(_LINK.findall(submission.body_html)), len(_URL_TEXT.findall(submission.body)))
    if policy.hold_link_count and links >= policy.hold_link_count:
        return Finding(Verdict.HOLD, f"links:{links}")
    return None


def held_word(submission: Submission, policy: ModerationPolicy) -> Finding | None:
    word = _first_word_in(_all_text(submission), policy.hold_words)
    return Finding(Verdict.HOLD, f"held_word:{word}") if word else None


def imitates_staff(submission: Submission, policy: ModerationPolicy) -> Finding | None:
    words = [skeleton(word) for word in submission.name.split()]
    candidates = {*words, "".join(words)} - {""}
    return Finding(Verdict.HOLD, "staff_name") if candidates & policy.staff_skeletons else None


def likely_spam(submission: Submission, policy: ModerationPolicy) -> Finding | None:
    score = submission.spam_score
    if score is None:
        return None
    # Rounded down, so a card never shows "90%" for a score below a 0.9 line.
    reason = f"likely_spam:{math.floor(score * 100)}"
    if policy.spam_filter_spam_at is not None and score >= policy.spam_filter_spam_at:
        return Finding(Verdict.SPAM, reason)
    if policy.spam_filter_hold_at is not None and score >= policy.spam_filter_hold_at:
        return Finding(Verdict.HOLD, reason)
    return None


Rule = Callable[[Submission, ModerationPolicy], Finding | None]
# Cheapest and surest first; every rule runs, so a card shows every reason.
RULES: tuple[Rule, ...] = (
    honeypot_filled,
    blocked_ip,
    blocked_email,
    spam_word,
    too_many_links,
    held_word,
    imitates_staff,
    likely_spam,
)


def findings_for(submission: Submission, policy: ModerationPolicy) -> list[Finding]:
    return [finding for rule in RULES if (finding := rule(submission, policy))]


def _score_line(value: float | None, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not 0 < float(value) <= 1:
        raise ValueError(f"{name} must be a number above 0 and at most 1, or None")
    return float(value)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _all_text(submission: Submission) -> str:
    return _fold(" ".join((submission.name, submission.email, submission.website, submission.body)))


def _first_word_in(text: str, words: Iterable[str]) -> str | None:
    for word in words:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text):
            return word
    return None
