"""What every template can use: the community's name, the language, the JS strings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask
from flask_babel import format_datetime, get_locale

from network import i18n
from network.community import service as community


def _layout_context() -> dict[str, Any]:
    return {
        "community": community.profile(),
        "current_language": str(get_locale() or "en"),
        "language_names": i18n.LANGUAGE_NAMES,
        "js_catalogue": i18n.js_catalogue(),
    }


def _format_datetime(value: datetime | None) -> str:
    return format_datetime(value, "short") if value else ""


def init_app(app: Flask) -> None:
    app.context_processor(_layout_context)
    app.jinja_env.filters["datetime"] = _format_datetime
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
