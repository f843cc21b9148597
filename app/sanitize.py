"""The only module that imports bleach: everything a reader or an editor writes is cleaned here.

Comments are cleaned once, on write, and the clean HTML is stored beside the raw text.
`as_markup` is the one place stored clean HTML is marked safe for templates; nothing else
in the project may use Markup or `|safe` on stored text.
"""

import re
import threading
from collections.abc import Callable
from functools import cache
from functools import partial
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    import bleach

COMMENT_TAGS = frozenset(
    {"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li"}
)
ARTICLE_TAGS = COMMENT_TAGS | {
    "h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td", "b", "i",
}  # fmt: skip
LINK_ATTRIBUTES = {"a": ["href", "title"]}
ARTICLE_ATTRIBUTES = LINK_ATTRIBUTES | {"th": ["scope"], "h2": ["id"], "h3": ["id"]}
SAFE_PROTOCOLS = frozenset({"http", "https", "mailto"})
COMMENT_LINK_REL = "nofollow ugc noopener"

# Elements that hold paragraphs, and elements that end one.
FLOW_CONTAINERS = frozenset({"blockquote"})
BLOCK_ELEMENTS = frozenset({"p", "pre", "blockquote", "ul", "ol", "li"})
_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")
_TAG_NAME = re.compile(r"</?([a-z0-9]+)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_EMPTY_LINE_BREAKS = (
    (re.compile(r"(?:<br>\s*)+</p>"), "</p>"),
    (re.compile(r"<p>\s*(?:<br>\s*)+"), "<p>"),
    (re.compile(r"<p>\s*</p>"), ""),
)


@cache
def _comment_url_pattern() -> re.Pattern:
    """Compiled once per process; every thread's cleaners share it (a pattern is read-only)."""
    from bleach.linkifier import TLDS as known_domains

    # bleach's own pattern only knows a list of top-level domains, so "https://my.app" stayed
    # text. With an explicit http(s) scheme any domain is a link; without one, only bleach's
    # known domains are, so "node.js" and "e.g." stay words.
    return re.compile(
        r"""\(*\b(?<![@.])
        (?:
            https?://(?:(?:\w+:)?\w+@)?(?:[\w-]+\.)+[a-z][a-z0-9-]{{1,62}}
          | (?:[\w-]+\.)+(?:{known})
        )
        (?::[0-9]+)?(?!\.\w)\b
        (?:[/?][^\s{{}}|\\^`<>"]*)?""".format(known="|".join(sorted(known_domains, reverse=True))),
        re.IGNORECASE | re.VERBOSE | re.UNICODE,
    )


def _mark_comment_link(attrs, new=False):
    attrs[(None, "rel")] = COMMENT_LINK_REL
    return attrs


class _PerThreadCleaner:
    """A bleach Cleaner per thread, made the first time that thread cleans with it.

    Per thread: a bleach Cleaner keeps its HTML parser's state between calls ("not
    thread-safe", says its own docstring), and production workers take requests in threads.
    One set shared by all threads failed concurrent comment POSTs with a 500. Each kind on
    its own: a cleaner and its parser cost a worker about 0.1 MB, and most only ever need
    the pass every comment takes (plain text skips pass 1; only publishing cleans articles).
    """

    def __init__(self, make: Callable[[], "bleach.Cleaner"]) -> None:
        self._make = make
        self._per_thread = threading.local()

    def __call__(self) -> "bleach.Cleaner":
        cleaner = getattr(self._per_thread, "cleaner", None)
        if cleaner is None:
            cleaner = self._per_thread.cleaner = self._make()
        return cleaner


def _new_cleaner(tags: frozenset[str], attributes: dict, **options) -> "bleach.Cleaner":
    """Loads bleach on first use. bleach and its HTML parser cost a web worker 2.7 MB, and
    pages only show HTML that was cleaned when it was written: a worker that serves pages and
    the desk, and takes no comment, never loads them."""
    import bleach

    return bleach.Cleaner(tags=tags, attributes=attributes, protocols=SAFE_PROTOCOLS, **options)


def _new_comment_finisher() -> "bleach.Cleaner":
    from bleach.linkifier import LinkifyFilter  # here, not at the top: see _new_cleaner

    linkify = partial(
        LinkifyFilter,
        callbacks=[_mark_comment_link],
        skip_tags={"pre", "code"},
        url_re=_comment_url_pattern(),
    )
    return _new_cleaner(COMMENT_TAGS, LINK_ATTRIBUTES, strip=False, filters=[linkify])


# Pass 1 keeps the allowed tags and escapes every other tag, so readers see what they typed.
_escape_unknown_markup = _PerThreadCleaner(
    partial(_new_cleaner, COMMENT_TAGS, LINK_ATTRIBUTES, strip=False, strip_comments=False)
)
# Pass 2 re-parses the paragraphed HTML (which repairs any nesting the paragraphs broke)
# and turns bare URLs into links. Its output is what gets stored.
_finish_comment = _PerThreadCleaner(_new_comment_finisher)
# Editors are trusted more than readers, but their HTML is still cleaned: unknown tags go.
_clean_article = _PerThreadCleaner(
    partial(_new_cleaner, ARTICLE_TAGS, ARTICLE_ATTRIBUTES, strip=True)
)


def clean_comment(raw_text: str) -> str:
    """Turn what a reader typed into safe HTML: paragraphs, line breaks, links, a small subset."""
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    # The parser would silently drop <!-- -->, <!DOCTYPE> and <?...?>; show them instead.
    text = text.replace("<!", "&lt;!").replace("<?", "&lt;?")
    # Most comments are plain text: no tag to keep or escape, so pass 1 would change nothing
    # that pass 2 does not (tests/test_sanitize.py compares both), and a parse is saved.
    # Control characters other than line breaks do come out differently: they take both.
    if "<" not in text and not _CONTROL_CHARACTER.search(text):
        return _finish_comment().clean(_paragraphs(text)).strip()
    cleaned = _escape_unknown_markup().clean(text)
    return _finish_comment().clean(_paragraphs(cleaned)).strip()


def clean_article_html(html: str) -> str:
    """Clean an editor's rendered Markdown: a wider safelist than comments, nothing live."""
    return _clean_article().clean(html)


def as_markup(clean_html: str) -> Markup:
    """Mark HTML that came out of this module (and was stored) as safe for Jinja."""
    return Markup(clean_html)  # noqa: S704  (the one sanctioned place)


def _paragraphs(html: str) -> str:
    """Blank lines become paragraphs and single newlines <br>, except inside <pre>.

    `html` is bleach's output, or text without "<" (see clean_comment), so its tags are
    balanced and normalised and its text holds no "<": splitting it on tags is reliable.
    """
    out: list[str] = []
    open_elements: list[str] = []
    # One flag per flow container: the top level and each blockquote we are in.
    paragraph_open = [False]

    def in_flow() -> bool:
        return not open_elements or open_elements[-1] in FLOW_CONTAINERS

    def close_paragraph() -> None:
        if paragraph_open[-1]:
            out.append("</p>")
            paragraph_open[-1] = False

    def open_paragraph() -> None:
        if not paragraph_open[-1]:
            out.append("<p>")
            paragraph_open[-1] = True

    for token in _TAG.split(html):
        if not token:
            continue
        if token.startswith("<"):
            name = _TAG_NAME.match(token).group(1)
            closing = token.startswith("</")
            if name in BLOCK_ELEMENTS:
                if in_flow() and not closing:
                    close_paragraph()
                if closing and name in FLOW_CONTAINERS:
                    close_paragraph()
                    paragraph_open.pop()
            elif in_flow():
                open_paragraph()
            out.append(token)
            if closing:
                open_elements.pop()
            elif name != "br":
                open_elements.append(name)
                if name in FLOW_CONTAINERS:
                    paragraph_open.append(False)
        elif "pre" in open_elements:
            out.append(token)
        elif in_flow():
            for index, part in enumerate(_BLANK_LINE.split(token)):
                if index:
                    close_paragraph()
                if part.strip() or paragraph_open[-1]:
                    open_paragraph()
                    out.append(part.replace("\n", "<br>\n"))
        elif open_elements[-1] in {"ul", "ol"}:
            out.append(token)  # only the whitespace between list items
        else:
            out.append(token.replace("\n", "<br>\n"))
    close_paragraph()
    joined = "".join(out)
    for pattern, replacement in _EMPTY_LINE_BREAKS:
        joined = pattern.sub(replacement, joined)
    return joined
