"""What every template can use: the community's name, the language, the JS strings."""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_datetime
from flask import Flask, g
from flask_babel import get_locale, get_timezone
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from network import i18n
from network.community import service as community
from network.models import utcnow
from network.notifications.service import unread_count
from network.permissions import Permission, can
from network.profiles.avatars import avatar_url
from network.sanitize import plain_text, upload_images
from network.sharing.service import shareable_post
from network.sharing.urls import absolute, canonical
from network.times import rfc3339


def _layout_context() -> dict[str, Any]:
    return {
        "community": community.profile(),
        "current_language": str(get_locale() or "en"),
        "language_names": i18n.LANGUAGE_NAMES,
        "js_catalogue": i18n.js_catalogue(),
    }


def _format_datetime(value: datetime | None) -> str:
    return _short_datetime(value, get_locale(), get_timezone()) if value else ""


@lru_cache(maxsize=8192)
def _short_datetime(value: datetime, locale: Locale, zone: tzinfo) -> str:
    """Babel's short date and time, as flask_babel.format_datetime(value, "short") gives it.

    Remembered per process: Babel re-reads the locale's patterns on every call
    (a quarter of a 50-comment page's time), and the same post and comment
    times are shown again and again.
    """
    return format_datetime(value, "short", tzinfo=zone, locale=locale)


# Excerpts are remembered per process: a feed page shows fifty, the same ones
# for everybody, and stripping tags from each took a sixth of its rendering.
# Only for texts up to this size, so the memo stays a few megabytes at most.
_EXCERPT_MEMO_MAX = 8_000


def _excerpt(markup: str | None, limit: int = 160) -> str:
    markup = markup or ""
    if len(markup) > _EXCERPT_MEMO_MAX:
        return _plain_text(markup, limit)
    return _remembered_excerpt(markup, limit)


@lru_cache(maxsize=1024)
def _remembered_excerpt(markup: str, limit: int) -> str:
    return _plain_text(markup, limit)


def _plain_text(markup: str, limit: int) -> str:
    return plain_text(markup, limit)


_STATE_LABELS = {
    "visible": _l("visible"),
    "held": _l("awaiting moderation"),
    "hidden": _l("hidden"),
    "deleted": _l("deleted"),
}


_ROLE_LABELS = {
    "customer": _l("customer"),
    "employee": _l("employee"),
    "moderator": _l("moderator"),
    "admin": _l("admin"),
}
_STATUS_LABELS = {
    "pending": _l("waiting for approval"),
    "active": _l("active"),
    "suspended": _l("suspended"),
    "deactivated": _l("deactivated"),
    "deleted": _l("deleted"),
}


_AUDIT_LABELS = {
    "role_changed": _l("role changed"),
    "status_changed": _l("status changed"),
    "invitation_created": _l("invitation created"),
    "invitation_revoked": _l("invitation revoked"),
    "settings_changed": _l("settings changed"),
    "promoted_by_domain": _l("became staff by company domain"),
}


def _audit_label(action: str) -> str:
    return str(_AUDIT_LABELS.get(action, action))


def _role_label(role: Any) -> str:
    return str(_ROLE_LABELS.get(getattr(role, "value", role), role))


def _status_label(status: Any) -> str:
    return str(_STATUS_LABELS.get(getattr(status, "value", status), status))


def _state_label(state: Any) -> str:
    return str(_STATE_LABELS.get(getattr(state, "value", state), state))


def _first_image(markup: str) -> str | None:
    return next(iter(upload_images(markup)), None)


def _unread_notifications() -> int:
    """The badge's number, read once per request and only by pages that show it."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = unread_count(current_user)
    return g.unread_notifications


def _can(member: Any, permission: str) -> bool:
    return can(member, Permission(permission))


def init_app(app: Flask) -> None:
    # Imported once here, not inside a wrapper per call: every author line asks.
    app.context_processor(_layout_context)
    app.jinja_env.filters["datetime"] = _format_datetime
    app.jinja_env.filters["rfc3339"] = rfc3339
    app.jinja_env.filters["excerpt"] = _excerpt
    app.jinja_env.filters["state_label"] = _state_label
    app.jinja_env.filters["role_label"] = _role_label
    app.jinja_env.filters["audit_label"] = _audit_label
    app.jinja_env.globals["can"] = _can
    app.jinja_env.globals["unread_notifications"] = _unread_notifications
    app.jinja_env.globals["now_utc"] = utcnow
    app.jinja_env.globals["canonical"] = canonical
    app.jinja_env.globals["absolute_url"] = absolute
    app.jinja_env.globals["shareable_post"] = shareable_post
    app.jinja_env.filters["first_image"] = _first_image
    app.jinja_env.filters["status_label"] = _status_label
    app.jinja_env.globals["avatar_url"] = avatar_url
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
