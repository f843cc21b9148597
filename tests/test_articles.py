from datetime import UTC
from datetime import datetime
from datetime import timedelta

from app.articles.importer import parse_article
from app.articles.importer import publish_article
from app.extensions import db
from tests.conftest import ARTICLE_SOURCE
from tests.helpers import elements_with_class
from tests.helpers import parse_html
from tests.helpers import text_of


def test_home_page_lists_articles_with_summary_date_and_comment_count(client, demo_article):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Thirty-Five Nations Gather in Paris" in html
    assert "troop pledges are still not settled" in html
    assert "January 6, 2026" in html
    assert "0 comments" in html


def test_demo_article_has_the_structure_of_a_news_page(client, demo_article):
    page = client.get(f"/articles/{demo_article}")
    assert page.status_code == 200
    document = parse_html(page.get_data(as_text=True))

    headings = [text_of(h) for h in document.iter("h1")]
    assert headings == [
        "Thirty-Five Nations Gather in Paris to Plan Ukraine's Protection After the War"
    ]
    glance = next(elements_with_class(document, "at-a-glance"))
    assert "At a Glance" in text_of(glance)
    assert len(list(glance.iter("li"))) == 4

    body = next(elements_with_class(document, "story-body"))
    subheadings = [text_of(h) for h in body.iter("h2")]
    assert "Key Takeaways" in subheadings
    assert len(subheadings) >= 4
    assert len(list(body.iter("blockquote"))) == 2
    table = next(body.iter("table"))
    header_cells = [text_of(cell) for cell in table.iter("th")]
    assert header_cells == ["Key challenge", "Where it stands"]
    rows = list(table.find("tbody").iter("tr"))
    assert [text_of(row.find("td")) for row in rows] == [
        "European troop deployment",
        "U.S. representation",
        "NATO unity",
        "Size of the coalition",
    ]

    author_box = next(elements_with_class(document, "author-box"))
    assert "Foreign Desk" in text_of(author_box)
    assert "Leave a Reply" in page.get_data(as_text=True)


def test_unknown_article_is_a_friendly_404(client):
    page = client.get("/articles/no-such-story")
    assert page.status_code == 404
    assert "Page not found" in page.get_data(as_text=True)


def test_article_dated_in_the_future_is_not_published_yet(app, client):
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    source = ARTICLE_SOURCE.replace("2026-03-02T09:00:00Z", tomorrow)
    with app.app_context():
        publish_article(parse_article(source))
        db.session.commit()
    assert client.get("/articles/council-approves-riverside-park").status_code == 404
    assert "Riverside Park" not in client.get("/").get_data(as_text=True)


def test_dates_are_shown_in_the_sites_timezone(make_app):
    app = make_app(TIMEZONE="America/New_York")
    with app.app_context():
        publish_article(parse_article(ARTICLE_SOURCE.replace("09:00:00Z", "03:00:00Z")))
        db.session.commit()
    html = app.test_client().get("/articles/council-approves-riverside-park").get_data(as_text=True)
    # 03:00 UTC on March 2 is still March 1 in New York.
    assert "March 1, 2026 at 10:00 pm" in html
    assert 'datetime="2026-03-01T22:00-05:00"' in html
