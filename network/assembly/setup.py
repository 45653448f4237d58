"""The steps create_app() takes, one function each, in the order it takes them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from network import cli, database, fragments, i18n, logs, mail, models  # noqa: F401 (models register their tables)
from network import config as settings
from network.accounts import routes as accounts_routes
from network.accounts.sessions import load_member
from network.admin import routes as admin_routes
from network.api import routes as api_routes
from network.assembly import templating
from network.case_studies import routes as case_studies_routes
from network.config import PROJECT_ROOT
from network.extensions import csrf, db, limiter, login_manager, migrate, socketio
from network.main import routes as main_routes
from network.notifications import routes as notifications_routes
from network.notifications import subscribers as notification_subscribers
from network.operations import metrics
from network.operations import routes as operations_routes
from network.posts import routes as posts_routes
from network.profiles import routes as profiles_routes
from network.realtime import connections, registry
from network.realtime import subscribers as realtime_subscribers
from network.realtime.events import register
from network.sharing import routes as sharing_routes
from network.uploads import routes as uploads_routes
from network.web import errors, headers


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

    logs.init_app(app)


def configure_metrics(app: Flask) -> None:
    """First of the request hooks, so that kept pages and early refusals are timed too."""

    metrics.init_app(app)
    metrics.count_sockets_with(connections.count)


def configure_proxies(app: Flask) -> None:
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )


def configure_extensions(app: Flask) -> None:

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
    manager = (
        {"message_queue": queue, "channel": app.config["SOCKETIO_CHANNEL"]}
        if queue
        else {"client_manager": None}
    )
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

    register(socketio)
    registry.init_app(app)  # who is connected: this process, or every process in Redis

    fragments.init_app(app)
    mail.init_app(app)  # the outbox's commit hooks, unsubscribe pages, the sender thread


def configure_signals(_app: Flask) -> None:
    """After-commit effects: realtime and notifications hear what the services say happened."""
    realtime_subscribers.connect()
    notification_subscribers.connect()


def configure_security(app: Flask) -> None:

    headers.init_app(app)


def configure_i18n(app: Flask) -> None:

    i18n.init_app(app)


def configure_templates(app: Flask) -> None:

    templating.init_app(app)


def configure_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)


# One blueprint per domain, named as its folder; a package's other route modules are nested
# under it (posts.comments.*, accounts.settings.*).
BLUEPRINTS = (
    main_routes.blueprint,
    accounts_routes.blueprint,
    posts_routes.blueprint,
    admin_routes.blueprint,
    sharing_routes.blueprint,
    notifications_routes.blueprint,
    profiles_routes.blueprint,
    uploads_routes.blueprint,
    case_studies_routes.blueprint,
    operations_routes.blueprint,
    api_routes.blueprint,
)


def configure_errors(app: Flask) -> None:

    errors.init_app(app)


def configure_cli(app: Flask) -> None:

    cli.init_app(app)
