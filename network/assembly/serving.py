"""Checks made by the serving entry points (wsgi.py, `flask serve`), never by create_app().

gunicorn.conf.py imports this module in gunicorn's master, before the gevent worker
monkey-patches the standard library: at import time it loads the settings alone
(network.config, Flask). The app's modules (models, SQLAlchemy, redis, the services)
are imported inside the checks, in the worker, after the patching.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Config, Flask

from network import config
from network.config import secret_problem

HOW_TO_SET_THE_KEY = (
    "Fix: run `flask --app network gen-secret` (writes instance/config.py), "
    "or set NETWORK_SECRET_KEY to a random value of at least 32 characters."
)


def problems_before_serving(app: Flask) -> list[str]:
    """Why this app must not serve requests yet (SEC-42); empty when it may."""
    from network.database import HOW_TO_MIGRATE, schema_problem

    problems: list[str] = []
    if not (app.debug or app.testing):
        problem = secret_problem(app.config.get("SECRET_KEY"))
        if problem:
            problems.append(f"Refusing to serve: {problem}. {HOW_TO_SET_THE_KEY}")
    schema = schema_problem(app)
    if schema:
        problems.append(f"Refusing to serve: {schema}. {HOW_TO_MIGRATE}")
    return problems


def announce_first_admin(app: Flask, base_url: str | None) -> list[str]:
    """Lines for the console while no admin exists: a one-time link to create the first one.

    SEC-05: there is no default account; whoever reads the server console
    (the operator) creates the first admin through this link.
    """
    from network.accounts import members
    from network.extensions import db

    with app.app_context():
        try:
            if not members.needs_first_admin():
                return []
            token = members.issue_setup_token()
        finally:
            db.session.remove()
    base = (base_url or app.config["PUBLIC_URL"] or "").rstrip("/")
    hours = app.config["FIRST_ADMIN_HOURS"]
    url = f"{base}/setup/{token}"
    hint = "" if base else " (prefix it with the address this server answers on)"
    return [
        "No admin exists yet. Create the first admin account by opening this one-time link "
        f"within {hours} hours{hint}:",
        f"    {url}",
        "Or from the command line: flask --app network create-user EMAIL --handle HANDLE "
        "--role admin",
    ]


# HTTP requests served at once beside the open sockets: in threading mode each
# WebSocket holds a thread for its whole life, and with no threads left plain
# requests starve (measured: 100 threads, 100 sockets, no comment got through).
HTTP_HEADROOM = 32


def serving_config(environ: Mapping[str, str]) -> Config:
    """The configuration create_app() would read (defaults, instance file, NETWORK_*),
    for a process that does not build the app, such as gunicorn's master."""
    instance_path = config.instance_path_from(environ, None)
    values = Config(instance_path)
    values.from_mapping(config.defaults())
    values.from_pyfile("config.py", silent=True)
    values.from_mapping(config.from_environment(environ))
    return values


def gunicorn_sizes(environ: Mapping[str, str]) -> dict[str, Any]:
    """gunicorn's worker class and sizes for this configuration: one worker per process
    (Socket.IO long-polling needs every request of a client on the same process)."""
    values = serving_config(environ)
    sockets = int(values["EXPECTED_SOCKETS"])
    if values["SOCKETIO_ASYNC_MODE"] == "gevent":
        return {"worker_class": "gevent", "workers": 1, "worker_connections": sockets + 1000}
    threads = sockets + HTTP_HEADROOM
    return {
        "worker_class": "gthread",
        "workers": 1,
        "threads": threads,
        "worker_connections": threads + HTTP_HEADROOM,
    }
