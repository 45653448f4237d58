"""The steps create_app() takes, one function each, in the order it takes them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from network import config as settings
from network.config import PROJECT_ROOT


def configure_config(
    app: Flask, environ: Mapping[str, str], test_config: Mapping[str, Any] | None
) -> None:
    """Defaults, then instance/config.py, then NETWORK_* variables, then the test mapping."""
    app.config.from_mapping(settings.defaults())
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(settings.from_environment(environ))
    if test_config is not None:
        app.config.from_mapping(test_config)
    settings.finish(app.config, app.instance_path)
    app.debug = bool(app.config["DEBUG"])


def configure_logging(app: Flask) -> None:
    from network import logs

    logs.init_app(app)


def configure_metrics(app: Flask) -> None:
    """First of the request hooks, so that kept pages and early refusals are timed too."""
    from network import metrics
    from network.realtime import connections

    metrics.init_app(app)
    metrics.count_sockets_with(connections.count)


def configure_proxies(app: Flask) -> None:
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )


def configure_extensions(app: Flask) -> None:
    from network import database, models  # noqa: F401 (models register their tables)
    from network.accounts.sessions import load_member
    from network.extensions import csrf, db, limiter, login_manager, migrate, socketio

    db.init_app(app)
    database.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_member)
    # Signing in again is asked for by our 401 handler, which keeps `next`.
    login_manager.session_protection = "basic"
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    queue = app.config["REDIS_URL"]
    # Flask-SocketIO keeps the options of earlier init_app calls: without a queue, say so
    # (client_manager=None), or an app made after one with Redis would inherit its manager.
    manager = {"message_queue": queue} if queue else {"client_manager": None}
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        # None means same origin only; never "*" (SEC-25)
        cors_allowed_origins=app.config["PUBLIC_URL"],
        max_http_buffer_size=app.config["SOCKETIO_MAX_PAYLOAD"],
        logger=False,
        engineio_logger=False,
        **manager,
    )
    from network.realtime.events import register

    register(socketio)
    from network import page_cache

    page_cache.init_app(app)


def configure_security(app: Flask) -> None:
    from network import security

    security.init_app(app)


def configure_i18n(app: Flask) -> None:
    from network import i18n

    i18n.init_app(app)


def configure_templates(app: Flask) -> None:
    from network import templating

    templating.init_app(app)


def configure_blueprints(app: Flask) -> None:
    from importlib import import_module

    # One blueprint per domain; each module exposes `blueprint`.
    for module in BLUEPRINT_MODULES:
        app.register_blueprint(import_module(module).blueprint)


BLUEPRINT_MODULES = (
    "network.main.routes",
    "network.accounts.routes",
    "network.accounts.settings_routes",
    "network.posts.routes",
    "network.posts.comment_routes",
    "network.posts.feed_routes",
    "network.admin.routes",
    "network.admin.invite_routes",
    "network.sharing.routes",
    "network.notifications.routes",
    "network.profiles.routes",
    "network.profiles.settings_routes",
    "network.uploads.routes",
    "network.uploads.api_routes",
    "network.api.routes",
    "network.case_studies.routes",
)


def configure_errors(app: Flask) -> None:
    from network import errors

    errors.init_app(app)


def configure_cli(app: Flask) -> None:
    from network import cli

    cli.init_app(app)
