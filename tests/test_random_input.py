"""Random form data, as a fuzzer would send it: never a 500, never a lost approved comment."""

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db
from app.models import Comment
from app.models import CommentStatus
from tests.conftest import publish_test_article
from tests.conftest import store_comment
from tests.helpers import article_url
from tests.helpers import hidden_fields

FIELD_NAMES = [
    "name",
    "email",
    "website",
    "body",
    "homepage",
    "stamp",
    "status",
    "id",
    "csrf_token",
]
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
form_data = st.dictionaries(st.sampled_from(FIELD_NAMES), any_text, max_size=len(FIELD_NAMES))


def approved_comments(app) -> list[tuple[int, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Comment.id, Comment.author_name, Comment.body_html).where(
                Comment.status == CommentStatus.APPROVED
            )
        )
        return sorted(tuple(row) for row in rows)


def test_random_form_data_never_breaks_the_site(make_app):
    app = make_app(RATELIMIT_ENABLED=False)
    slug = publish_test_article(app)
    for number in range(3):
        store_comment(app, slug, status=CommentStatus.APPROVED, body=f"Approved {number}")
    before = approved_comments(app)
    client = app.test_client()

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=form_data, keep_tokens=st.booleans())
    def post_random_form(data, keep_tokens):
        page = client.get(article_url(slug))
        assert page.status_code == 200
        if keep_tokens:
            data = {**data, **hidden_fields(page.get_data(as_text=True), client)}
        response = client.post(f"/articles/{slug}/comments", data=data)
        assert response.status_code in {303, 400, 403, 413, 429}, response.status_code
        assert approved_comments(app) == before

    post_random_form()
