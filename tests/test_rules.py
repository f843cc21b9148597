"""Each auto-moderation rule on its own, as a table of cases (no request, no database)."""

import pytest

from app.automoderation import rules
from app.automoderation.lookalikes import skeleton
from app.automoderation.rules import Finding
from app.automoderation.rules import ModerationPolicy
from app.automoderation.rules import Submission
from app.automoderation.rules import Verdict
from app.sanitize import clean_comment

POLICY = ModerationPolicy.from_lists(
    hold_link_count=2,
    hold_words=["casino", "crypto giveaway"],
    spam_words=["viagra"],
    spam_ips=["203.0.113.7", "198.51.100.0/24", "2001:db8::/32"],
    spam_emails=["spammer@example.net", "@junk.example"],
    staff_names=["Editor", "Moderator", "sam"],
)


def submission(**fields) -> Submission:
    values = {
        "name": "Ada Reader",
        "email": "ada@example.org",
        "website": "",
        "body": "A fair point about the council.",
        "ip_address": "192.0.2.1",
        "honeypot": "",
    }
    values.update(fields)
    return Submission(body_html=clean_comment(values["body"]), **values)


@pytest.mark.parametrize(
    ("honeypot", "expected"),
    [("", None), ("   ", None), ("http://spam.example", Finding(Verdict.SPAM, "honeypot"))],
)
def test_honeypot_filled(honeypot, expected):
    assert rules.honeypot_filled(submission(honeypot=honeypot), POLICY) == expected


@pytest.mark.parametrize(
    ("ip_address", "blocked"),
    [
        ("203.0.113.7", True),
        ("203.0.113.8", False),
        ("198.51.100.200", True),
        ("2001:db8::1", True),
        ("2001:db9::1", False),
        (None, False),
        ("not an ip", False),
    ],
)
def test_blocked_ip(ip_address, blocked):
    finding = rules.blocked_ip(submission(ip_address=ip_address), POLICY)
    assert (finding == Finding(Verdict.SPAM, "blocked_ip")) is blocked


@pytest.mark.parametrize(
    ("email", "blocked"),
    [
        ("spammer@example.net", True),
        ("SPAMMER@Example.net", True),
        ("anyone@junk.example", True),
        ("anyone@notjunk.example", False),
        ("spammer@example.org", False),
    ],
)
def test_blocked_email(email, blocked):
    assert (rules.blocked_email(submission(email=email), POLICY) is not None) is blocked


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"body": "Cheap VIAGRA here"}, "spam_word:viagra"),
        ({"name": "Viagra Sales"}, "spam_word:viagra"),
        ({"website": "https://viagra.example"}, "spam_word:viagra"),
        ({"body": "Viagrafalls is a place"}, None),
        ({"body": "Nothing to see"}, None),
    ],
)
def test_spam_word(fields, reason):
    finding = rules.spam_word(submission(**fields), POLICY)
    assert (finding.reason if finding else None) == reason


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("No links at all", None),
        ("One link https://example.org", None),
        ("Two https://a.example and https://b.example", "links:2"),
        (
            '<a href="https://a.example">a</a> <a href="https://b.example">b</a> https://c.example',
            "links:3",
        ),
        ("Unlinked hxxp but https://x.invalid-tld- and www.y.zz", "links:2"),
    ],
)
def test_too_many_links(body, reason):
    finding = rules.too_many_links(submission(body=body), POLICY)
    assert (finding.reason if finding else None) == reason
    assert finding is None or finding.verdict is Verdict.HOLD


def test_link_rule_can_be_turned_off():
    policy = ModerationPolicy.from_lists(hold_link_count=0)
    body = "https://a.example https://b.example https://c.example"
    assert rules.too_many_links(submission(body=body), policy) is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("Off to the Casino tonight", "held_word:casino"),
        ("A CRYPTO  giveaway".replace("  ", " "), "held_word:crypto giveaway"),
        ("Occasional casinos", None),
        ("Nothing here", None),
    ],
)
def test_held_word(body, reason):
    finding = rules.held_word(submission(body=body), POLICY)
    assert (finding.reason if finding else None) == reason


@pytest.mark.parametrize(
    ("name", "imitates"),
    [
        ("Editor", True),
        ("EDITOR", True),
        ("The Editor", True),
        ("Εditor", True),  # Greek capital Epsilon
        ("Еditor", True),  # Cyrillic capital Ie
        ("Ｅｄｉｔｏｒ", True),  # full-width
        ("𝐄𝐝𝐢𝐭𝐨𝐫", True),  # mathematical bold
        ("E\u0301ditor", True),  # combining accent
        ("Edi tor", True),
        ("M0derator", True),
        ("Sam", True),
        ("Ѕаm", True),  # Cyrillic Dze and a
        ("Samantha", False),
        ("Creditor", False),
        ("Ada Reader", False),
    ],
)
def test_imitates_staff(name, imitates):
    assert (rules.imitates_staff(submission(name=name), POLICY) is not None) is imitates


def test_every_rule_runs_so_a_card_shows_every_reason():
    found = rules.findings_for(
        submission(
            name="Editor",
            body="casino https://a.example https://b.example",
            ip_address="203.0.113.7",
        ),
        POLICY,
    )
    assert [finding.reason for finding in found] == [
        "blocked_ip",
        "links:2",
        "held_word:casino",
        "staff_name",
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [("Editor", "Εdіtor"), ("paypal", "pаypаl"), ("rn", "m"), ("Sam", "ＳＡＭ"), ("l", "1")],
)
def test_lookalikes_share_a_skeleton(first, second):
    assert skeleton(first) == skeleton(second)


def test_different_names_keep_different_skeletons():
    assert skeleton("Sam") != skeleton("Pam")


def test_the_lookalike_table_is_what_the_tool_makes_from_unicodes_data():
    from tools.make_lookalikes import TABLE
    from tools.make_lookalikes import lookalike_table
    from tools.make_lookalikes import table_text

    assert TABLE.read_text(encoding="utf-8") == table_text(lookalike_table())
