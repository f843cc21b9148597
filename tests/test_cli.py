from sqlalchemy import func
from sqlalchemy import select

from app.extensions import db
from app.models import Article
from app.models import Moderator
from tests.conftest import ARTICLE_SOURCE


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_init_db_loads_the_demo_article_once(app, runner):
    first = runner.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    assert "demo article" in first.output
    second = runner.invoke(args=["init-db"])
    assert second.exit_code == 0, second.output
    assert count(app, Article) == 1


def test_init_db_creates_the_schema_on_a_new_database(make_app):
    app = make_app(migrated=False)
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert count(app, Article) == 1


def test_init_db_leaves_an_existing_site_alone(app, runner, article):
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert count(app, Article) == 1


def test_create_moderator_asks_twice_at_a_hidden_prompt(app, runner):
    result = runner.invoke(
        args=["create-moderator", "alex"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "a long enough password" not in result.output
    assert "Repeat for confirmation" in result.output
    assert count(app, Moderator) == 1


def test_create_moderator_refuses_mismatched_confirmation(app, runner):
    result = runner.invoke(
        args=["create-moderator", "alex"],
        input="a long enough password\nanother password!!\n",
    )
    assert result.exit_code != 0
    assert count(app, Moderator) == 0


def test_create_moderator_reads_the_password_from_the_environment(app, runner):
    result = runner.invoke(
        args=["create-moderator", "alex"], env={"MODERATOR_PASSWORD": "from the environment"}
    )
    assert result.exit_code == 0, result.output
    assert "Password" not in result.output
    assert count(app, Moderator) == 1


def test_create_moderator_refuses_an_existing_name(app, runner, moderator):
    result = runner.invoke(
        args=["create-moderator", moderator], env={"MODERATOR_PASSWORD": "from the environment"}
    )
    assert result.exit_code == 1
    assert "A moderator named 'sam' already exists." in result.output
    assert count(app, Moderator) == 1


def test_create_moderator_can_make_an_admin(app, runner):
    result = runner.invoke(
        args=["create-moderator", "ada", "--admin"],
        env={"MODERATOR_PASSWORD": "from the environment"},
    )
    assert result.exit_code == 0, result.output
    assert "Admin 'ada' created" in result.output
    with app.app_context():
        assert db.session.query(Moderator).one().is_admin


def test_reset_password_needs_an_existing_name(app, runner):
    result = runner.invoke(
        args=["create-moderator", "nobody", "--reset-password"],
        env={"MODERATOR_PASSWORD": "from the environment"},
    )
    assert result.exit_code == 1
    assert "There is no moderator named 'nobody'." in result.output


def test_create_moderator_refuses_a_short_password(app, runner):
    result = runner.invoke(args=["create-moderator", "alex"], env={"MODERATOR_PASSWORD": "short"})
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    assert count(app, Moderator) == 0


def test_import_article_publishes_then_updates_by_slug(app, runner, client, tmp_path):
    source = tmp_path / "park.md"
    source.write_text(ARTICLE_SOURCE, encoding="utf-8")
    published = runner.invoke(args=["import-article", str(source)])
    assert published.exit_code == 0, published.output
    assert "Published 'Council Approves New Riverside Park'" in published.output
    assert "The council approved the park" in client.get(
        "/articles/council-approves-riverside-park"
    ).get_data(as_text=True)

    source.write_text(
        ARTICLE_SOURCE.replace("The council approved the park", "Councillors backed the park"),
        encoding="utf-8",
    )
    updated = runner.invoke(args=["import-article", str(source)])
    assert updated.exit_code == 0, updated.output
    assert "Updated" in updated.output
    html = client.get("/articles/council-approves-riverside-park").get_data(as_text=True)
    assert "Councillors backed the park" in html
    assert count(app, Article) == 1


def test_import_article_explains_a_bad_file(app, runner, tmp_path):
    source = tmp_path / "broken.md"
    source.write_text("just text, no header", encoding="utf-8")
    result = runner.invoke(args=["import-article", str(source)])
    assert result.exit_code == 1
    assert "front-matter header" in result.output
    assert count(app, Article) == 0


def test_import_article_needs_an_existing_file(runner):
    result = runner.invoke(args=["import-article", "/no/such/file.md"])
    assert result.exit_code == 2
    assert "does not exist" in result.output
