"""What every template can use: the community's name, the language, the JS strings."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale

from network import i18n
from network.community import service as community


def _layout_context() -> dict[str, Any]:
    return {
        "community": community.profile(),
        "current_language": str(get_locale() or "en"),
        "language_names": i18n.LANGUAGE_NAMES,
        "js_catalogue": i18n.js_catalogue(),
    }


def init_app(app: Flask) -> None:
    app.context_processor(_layout_context)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
