"""The brand-community server: create_app() builds the Flask application."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; it reads like a table of contents and has no side effects.

    It prints nothing, prompts for nothing, creates no schema and refuses
    nothing: the serving entry points (wsgi.py, ``flask serve``) check that the
    app is fit to serve.
    """
    import os

    from network.assembly import setup
    from network.config import PROJECT_ROOT, instance_path_from

    app = Flask(
        __name__,
        instance_path=instance_path_from(os.environ, test_config),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    setup.configure_config(app, os.environ, test_config)
    setup.configure_logging(app)
    setup.configure_metrics(app)
    setup.configure_proxies(app)
    setup.configure_extensions(app)
    setup.configure_signals(app)
    setup.configure_security(app)
    setup.configure_i18n(app)
    setup.configure_templates(app)
    setup.configure_blueprints(app)
    setup.configure_errors(app)
    setup.configure_cli(app)
    return app
