import pytest


@pytest.fixture
def failing_app(make_app):
    app = make_app()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/fails")
    def fails():
        raise RuntimeError("SELECT secret FROM comments WHERE email='x@example.org'")

    return app


def test_server_error_page_reveals_nothing(failing_app):
    response = failing_app.test_client().get("/fails")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    for secret in ("Traceback", "RuntimeError", "SELECT", "x@example.org"):
        assert secret not in html


def test_not_found_page_is_in_the_sites_style(client):
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "The Morning Ledger" in html
    assert "Go to the front page" in html


def test_wrong_method_says_so_and_lists_the_allowed_ones(client):
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "can’t be used that way" in response.get_data(as_text=True)


def test_oversized_post_gets_a_friendly_413(client, article):
    response = client.post(f"/articles/{article}/comments", data={"body": "x" * 200_000})
    assert response.status_code == 413
    assert "larger than we accept" in response.get_data(as_text=True)


def test_missing_csrf_token_elsewhere_gets_a_readable_400(client):
    response = client.post("/auth/login", data={"username": "sam", "password": "whatever"})
    assert response.status_code == 400
    assert "reload the page and send it again" in response.get_data(as_text=True)


def test_a_comment_without_its_token_for_a_missing_article_is_a_404(make_app):
    app = make_app()
    app.testing = False  # as in production: an error inside an error handler is a 500 there
    response = app.test_client().post("/articles/no-such-story/comments")
    assert response.status_code == 404
