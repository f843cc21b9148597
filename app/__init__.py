"""The news site: articles, reader comments and the moderation desk."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import akismet_service
from app import command_line
from app import database
from app import errors
from app import input_guard
from app import logs
from app import mail
from app import metadata
from app import migrations
from app import public_copies
from app import rate_limits
from app import rendered_pages
from app import security
from app import templating
from app.admin import bp as admin_bp
from app.articles import comment_views  # noqa: F401  (its routes join the articles blueprint)
from app.articles import private_front
from app.articles.views import bp as articles_bp
from app.auth import sessions
from app.auth.two_factor_views import bp as two_factor_bp
from app.auth.views import bp as auth_bp
from app.automoderation import policy
from app.config import load_settings
from app.email_links import bp as email_links_bp
from app.extensions import csrf
from app.extensions import db
from app.extensions import login_manager
from app.feeds import bp as feeds_bp
from app.health import bp as health_bp
from app.moderation import bp as moderation_bp
from app.privacy_requests import bp as privacy_requests_bp
from app.reports import bp as reports_bp
from app.site.views import bp as site_bp

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=instance_path_for(config),
        instance_relative_config=True,
    )
    load_settings(app, config)
    policy.check_settings(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logs.register(app)
    input_guard.register(app)
    # Before the proxies: the layer must see the scheme and host readers used.
    public_copies.register(app, answer_privately=private_front.answer_in_front)
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    rate_limits.register(
        app,
        public_blueprints=(articles_bp, auth_bp, reports_bp, privacy_requests_bp, email_links_bp),
    )
    errors.register(app)
    security.register(app)
    templating.register(app)
    rendered_pages.register(app)
    metadata.register(app)
    command_line.register(app)
    mail.register(app)
    akismet_service.register(app)
    return app


def instance_path_for(config: Mapping[str, Any] | None) -> str:
    """The instance folder must be known before settings load, since it holds one of them."""
    chosen = (config or {}).get("INSTANCE_PATH") or os.environ.get("FLASK_INSTANCE_PATH")
    return str(Path(chosen).resolve()) if chosen else str(PROJECT_ROOT / "instance")


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    database.register(app)
    migrations.register(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    sessions.register(app)


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-* only from the configured number of proxies, so a forged
    header from the open internet cannot change the client IP, scheme or host."""
    hops = int(app.config["TRUSTED_PROXY_HOPS"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(articles_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(two_factor_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(site_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(email_links_bp)
    app.register_blueprint(privacy_requests_bp)
    app.register_blueprint(health_bp)
