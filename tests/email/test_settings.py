"""Mail settings: read from the environment with or without the prefix, checked at start-up."""

import pytest

from app import create_app
from app.config import SettingError
from app.mail.settings import mail_settings


@pytest.fixture
def environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "k")
    for name in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_FROM", "FLASK_MAIL_PORT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_unprefixed_environment_values_are_read_as_number_and_switch(environment, tmp_path):
    environment.setenv("MAIL_SERVER", "smtp.example.org")
    environment.setenv("MAIL_PORT", "2525")
    environment.setenv("MAIL_USE_TLS", "false")
    environment.setenv("MAIL_FROM", "News <news@example.org>")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SITE_URL": "https://news.example.org"})
    settings = mail_settings(app.config)
    assert (settings.server, settings.port, settings.use_tls) == ("smtp.example.org", 2525, False)
    assert settings.sender_domain == "example.org"


def test_prefixed_environment_values_work_too(environment, tmp_path):
    environment.setenv("FLASK_MAIL_PORT", "465")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert mail_settings(app.config).port == 465


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"MAIL_SERVER": "smtp.example.org", "SITE_URL": "https://n.example"}, "MAIL_FROM"),
        ({"MAIL_SERVER": "smtp.example.org", "MAIL_FROM": "a@example.org"}, "SITE_URL"),
        ({"MAIL_USE_TLS": "maybe"}, "MAIL_USE_TLS"),
        ({"MAIL_FROM": "not an address"}, "MAIL_FROM"),
    ],
)
def test_bad_mail_settings_stop_the_site_at_start_up(environment, tmp_path, settings, message):
    with pytest.raises(SettingError, match=message):
        create_app({"INSTANCE_PATH": str(tmp_path), **settings})


def test_without_a_server_the_sender_is_the_site(environment, tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    settings = mail_settings(app.config)
    assert settings.writes_to_file
    assert settings.sender == "The Morning Ledger <newsroom@localhost>"


def test_switches_given_as_words_are_typed_once_at_start(environment, tmp_path):
    environment.setenv("FLASK_TRUSTED_AUTHORS_AUTO_APPROVE", "yes")
    environment.setenv("FLASK_MAIL_SEND_IN_BACKGROUND", "off")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["TRUSTED_AUTHORS_AUTO_APPROVE"] is True
    assert app.config["MAIL_SEND_IN_BACKGROUND"] is False


def test_a_switch_that_is_neither_stops_the_start_naming_it(environment, tmp_path):
    environment.setenv("FLASK_TRUSTED_AUTHORS_AUTO_APPROVE", "perhaps")
    with pytest.raises(SettingError, match="TRUSTED_AUTHORS_AUTO_APPROVE"):
        create_app({"INSTANCE_PATH": str(tmp_path)})
