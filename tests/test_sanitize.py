import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from app import sanitize
from app.sanitize import as_markup
from app.sanitize import clean_comment

REL = 'rel="nofollow ugc noopener"'


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Hello", "<p>Hello</p>"),
        ("One\ntwo", "<p>One<br>\ntwo</p>"),
        ("One\n\nTwo", "<p>One</p><p>Two</p>"),
        ("One\r\n\r\nTwo", "<p>One</p><p>Two</p>"),
        ("a\n\n\n\nb\n", "<p>a</p><p>b</p>"),
        ("<em>yes</em> <strong>no</strong>", "<p><em>yes</em> <strong>no</strong></p>"),
        ("<b>bold</b>", "<p>&lt;b&gt;bold&lt;/b&gt;</p>"),
        ("<script>x()</script>", "<p>&lt;script&gt;x()&lt;/script&gt;</p>"),
        ("<!-- hidden? -->", "<p>&lt;!-- hidden? --&gt;</p>"),
        ("a < b && c > d", "<p>a &lt; b &amp;&amp; c &gt; d</p>"),
        ("<3 you", "<p>&lt;3 you</p>"),
        (
            "see https://example.org/a?b=1&c=2.",
            f'<p>see <a href="https://example.org/a?b=1&amp;c=2" {REL}>https://example.org/a?b=1&amp;c=2</a>.</p>',
        ),
        (
            '<a href="https://example.org" onclick="x()">site</a>',
            f'<p><a href="https://example.org" {REL}>site</a></p>',
        ),
        ('<a href="javascript:alert(1)">x</a>', f"<p><a {REL}>x</a></p>"),
        (
            '<a href="mailto:desk@example.org">mail</a>',
            f'<p><a href="mailto:desk@example.org" {REL}>mail</a></p>',
        ),
        ("https://my.app", f'<p><a href="https://my.app" {REL}>https://my.app</a></p>'),
        ("www.example.com", f'<p><a href="http://www.example.com" {REL}>www.example.com</a></p>'),
        ("node.js and e.g. stay words", "<p>node.js and e.g. stay words</p>"),
        ("<pre>line 1\n\nline 3</pre>", "<pre>line 1\n\nline 3</pre>"),
        ("<code>https://example.org</code>", "<p><code>https://example.org</code></p>"),
        (
            "Intro:\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\nEnd",
            "<p>Intro:</p><ul>\n<li>a</li>\n<li>b</li>\n</ul><p>End</p>",
        ),
        (
            "<blockquote>quoted\n\nmore</blockquote>\nreply",
            "<blockquote><p>quoted</p><p>more</p></blockquote><p>reply</p>",
        ),
        ("<p>unclosed <em>emphasis", "<p>unclosed <em>emphasis</em></p>"),
    ],
)
def test_what_a_reader_types_becomes_safe_html(typed, stored):
    assert clean_comment(typed) == stored


def test_cleaning_its_own_output_changes_nothing():
    once = clean_comment("Hi <b>there</b>\n\n<em>you</em> https://example.org & co")
    assert clean_comment(once) == once


def test_marking_clean_html_safe_does_not_escape_it_again():
    stored = clean_comment("Fish & chips <3")
    assert str(as_markup(stored)) == "<p>Fish &amp; chips &lt;3</p>"
    assert "&amp;amp;" not in str(as_markup(stored))


def both_passes(typed: str) -> str:
    """clean_comment as it always ran: escape unknown markup, paragraphs, then clean again."""
    text = typed.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("<!", "&lt;!").replace("<?", "&lt;?")
    escaped = sanitize._escape_unknown_markup().clean(text)
    return sanitize._finish_comment().clean(sanitize._paragraphs(escaped)).strip()


# What plain text is made of, tricky parts included: entities with and without their
# semicolons, ampersands in addresses, blank lines, "<!" and "<?" (escaped before cleaning).
PLAIN_TEXT_PARTS = [
    "&", "&amp;", "&amp", "&lt;", "&gt", "&copy", "&copy;", "&notit;", "&#", "&#60;", "&#x3c;",
    "&#0;", "&#x110000;", "&#128;", ";", "#", ">", '"', "'", "`", "=", "\n", "\n\n", " \n \n",
    "\t", " ", "word", "é", "İ", "\u00a0", "\u2028", "\ufffd", "\ufdd0", "😀", "http://",
    "https://", "www.", "example.com", "my.app", "/path?a=1&b=2", "(", ")", ".", "node.js",
    "user@example.com", "mailto:", "javascript:alert(1)", "<!", "<?", "<!--", "-->", "]]>",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PLAIN_TEXT_PARTS), max_size=30).map("".join))
def test_text_without_markup_is_cleaned_as_by_both_passes(typed):
    assert clean_comment(typed) == both_passes(typed)


@pytest.mark.parametrize("typed", ["a\x0cb\n\nc", "\x0b<!x", "one\x85two"])
def test_control_characters_still_take_both_passes(typed):
    # Form feeds and their kind come out differently from one pass; the form refuses them,
    # but other callers (imports, edits) may not.
    assert clean_comment(typed) == both_passes(typed)


def test_comments_cleaned_at_once_in_threads_come_out_as_alone():
    """Production workers take requests in threads (gunicorn.conf.py). bleach's cleaners keep
    parser state, and one shared between threads failed a reader's POST with a 500 under
    concurrent comments, or could mix one reader's text into another's comment."""
    texts = [
        f"Reader {number} says <em>this</em>, see https://example.org/{number}.\n\n"
        f"<blockquote>quoted {number}</blockquote> and <b>{number}</b> <3"
        for number in range(40)
    ]
    alone = [clean_comment(text) for text in texts]
    switch_interval = sys.getswitchinterval()
    # Switch threads as often as possible, so that two cleans overlap inside the parser.
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            together = list(pool.map(clean_comment, texts * 10))
    finally:
        sys.setswitchinterval(switch_interval)

    assert together == alone * 10
