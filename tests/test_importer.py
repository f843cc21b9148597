import pytest

from app.articles.importer import ArticleFileError
from app.articles.importer import parse_article
from app.articles.importer import render_article_body
from app.models import CommentMode
from tests.conftest import ARTICLE_SOURCE


def test_front_matter_fields_are_read():
    source = parse_article(ARTICLE_SOURCE)
    assert source.slug == "council-approves-riverside-park"
    assert source.at_a_glance == ["Council vote was 9-2", "Work starts in spring"]
    assert source.byline == "City Desk"
    assert source.comment_mode is CommentMode.OPEN
    assert source.published_at.isoformat() == "2026-03-02T09:00:00+00:00"


def test_markdown_tables_lists_quotes_and_headings_render():
    html = render_article_body(
        "## Heading\n\n- one\n- two\n\n> quoted\n\n| A | B |\n| --- | --- |\n| 1 | 2 |\n"
    )
    for fragment in ("<h2>Heading</h2>", "<li>one</li>", "<blockquote>", "<table>", "<td>1</td>"):
        assert fragment in html


def test_article_html_still_passes_the_sanitiser():
    html = render_article_body(
        'Hi <script>alert(1)</script> <a href="javascript:alert(1)" onclick="x()">link</a>'
        ' <iframe src="https://evil.example"></iframe> <img src=x onerror=alert(1)>'
    )
    assert "<script" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html
    assert "onerror" not in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no header at all", "front-matter header"),
        ("---\ntitle: [unclosed\n---\nbody", "not valid YAML"),
        ("---\ntitle: T\n---\nbody", "missing: slug, byline, published"),
        (ARTICLE_SOURCE.replace("council-approves-riverside-park", "Bad Slug!"), "slug"),
        (ARTICLE_SOURCE.replace("comments: open", "comments: maybe"), "'open', 'closed' or 'held'"),
        (ARTICLE_SOURCE.replace("2026-03-02T09:00:00Z", "next tuesday"), "is not a date"),
    ],
)
def test_bad_article_files_are_refused_with_a_reason(text, message):
    with pytest.raises(ArticleFileError, match=message):
        parse_article(text)
