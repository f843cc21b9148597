"""`/healthz` tells a load balancer whether this machine reaches its database, and nothing else."""

from app import create_app
from tests.conftest import settings_for


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_answers_503_when_the_database_does_not(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'no-such-folder' / 'newsroom.sqlite3'}"
    app = create_app(settings_for(tmp_path, DATABASE_URL=unreachable))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_answers_503_before_the_schema_exists(make_app):
    response = make_app(migrated=False).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
