"""Community-wide settings (name, branding, how people join); the one write path for them.

Values live in the community_setting table as JSON; a setting that was never
saved falls back to the operator's configuration (registration mode, staff
domains) or to a built-in default.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from network import sanitize, text_rules
from network.database import write_transaction
from network.exceptions import Invalid
from network.extensions import db
from network.models import CommunitySetting

MAX_NAME_LENGTH = 80
MAX_TAGLINE_LENGTH = 200
MAX_PAGE_TEXT = 20_000
REGISTRATION_MODES = ("open", "invite", "approval")
DEFAULT_ACCENT = "#2f6fde"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_PAGE_LABELS = {"terms": _l("Terms of use"), "privacy": _l("Privacy")}
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class SettingError(Invalid):
    """A setting value that is not allowed (422)."""


@dataclass(frozen=True)
class CommunityProfile:
    name: str | None
    tagline: str | None
    registration: str = "open"
    staff_domains: tuple[str, ...] = ()
    employees_may_invite: bool = False
    accent: str = DEFAULT_ACCENT
    logo: str | None = None
    terms: dict[str, str] = field(default_factory=dict)
    privacy: dict[str, str] = field(default_factory=dict)


def _text(limit: int, label: Any) -> Callable[[str, Any], Any]:
    def check(key: str, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise SettingError(_l("Enter text."), field=key)
        # The name and tagline head every page and the Atom feed: a title's rule.
        value = _as_setting_error(text_rules.title, value, key, label)
        if len(value) > limit:
            raise SettingError(_l("Use at most %(max)d characters.", max=limit), field=key)
        return value or None

    return check


def _as_setting_error(
    rule: Callable[[str, str, Any], str], value: str, key: str, label: Any
) -> str:
    try:
        return rule(value, key, label)
    except Invalid as error:
        # Callers catch SettingError for every refused setting.
        raise SettingError(error.message, field=key) from None


def _registration(key: str, value: Any) -> str:
    if value not in REGISTRATION_MODES:
        raise SettingError(_l("Choose one of the offered modes."), field=key)
    return value


def parse_domains(value: Any, key: str = "staff_domains") -> list[str]:
    """Domains from a list or from text separated by commas, spaces or lines."""
    items = value if isinstance(value, list) else re.split(r"[\s,;]+", str(value or ""))
    domains = []
    for item in items:
        domain = str(item).strip().lower().lstrip("@")
        if not domain:
            continue
        if not _DOMAIN.match(domain):
            raise SettingError(_l("%(domain)s is not a domain name.", domain=domain), field=key)
        if domain not in domains:
            domains.append(domain)
    if len(domains) > 20:
        raise SettingError(_l("List at most 20 domains."), field=key)
    return domains


def _flag(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise SettingError(_l("Choose yes or no."), field=key)
    return value


def _accent(key: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _HEX.match(value):
        raise SettingError(_l("Use a colour like #2f6fde."), field=key)
    return value.lower()


def _page(key: str, value: Any) -> dict[str, str] | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise SettingError(_l("Enter text."), field=key)
    value = _as_setting_error(text_rules.body, value, key, _PAGE_LABELS.get(key, key))
    if len(value) > MAX_PAGE_TEXT:
        raise SettingError(_l("Use at most %(max)d characters.", max=MAX_PAGE_TEXT), field=key)
    return {"text": value, "html": sanitize.render_markdown(value)}


def _logo(key: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.match(r"^[A-Za-z0-9_-]{8,64}\.(png|jpg|webp)$", value):
        raise SettingError(_l("Upload a picture."), field=key)
    return value


_VALIDATORS: dict[str, Callable[[str, Any], Any]] = {
    "name": _text(MAX_NAME_LENGTH, _l("Community name")),
    "tagline": _text(MAX_TAGLINE_LENGTH, _l("Tagline")),
    "registration": _registration,
    "staff_domains": lambda key, value: parse_domains(value, key),
    "employees_may_invite": _flag,
    "accent": _accent,
    "logo": _logo,
    "terms": _page,
    "privacy": _page,
}


def profile() -> CommunityProfile:
    """Every setting, read in one query per request (the layout asks on every page)."""
    if "community_profile" not in g:
        rows: dict[str, Any] = dict(
            db.session.execute(select(CommunitySetting.key, CommunitySetting.value)).all()  # type: ignore[arg-type]
        )
        config = current_app.config
        configured_domains = parse_domains(config.get("STAFF_DOMAINS") or "")
        g.community_profile = CommunityProfile(
            name=rows.get("name"),
            tagline=rows.get("tagline"),
            registration=rows.get("registration") or config["REGISTRATION"],
            staff_domains=tuple(rows.get("staff_domains", configured_domains)),
            employees_may_invite=bool(rows.get("employees_may_invite", False)),
            accent=rows.get("accent") or DEFAULT_ACCENT,
            logo=rows.get("logo"),
            terms=rows.get("terms") or {},
            privacy=rows.get("privacy") or {},
        )
    return g.community_profile


def validate(changes: dict[str, Any]) -> dict[str, Any]:
    """Check and normalize settings; raises SettingError naming the first bad field."""
    cleaned = {}
    for key, value in changes.items():
        if key not in _VALIDATORS:
            raise SettingError(_l("Unknown setting."), field=key)
        cleaned[key] = _VALIDATORS[key](key, value)
    return cleaned


def write(session: Any, cleaned: dict[str, Any]) -> None:
    """Inside a write transaction: store validated settings (None removes one)."""
    for key, value in cleaned.items():
        row = session.get(CommunitySetting, key)
        if value is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(CommunitySetting(key=key, value=value))
        else:
            row.value = value
    g.pop("community_profile", None)


def set_value(key: str, value: str | None) -> None:
    """Store one setting as the operator (CLI); blank or None clears it back to the default.

    Raises SettingError for an unknown key or a value that is not allowed.
    """
    cleaned = validate({key: value})
    with write_transaction() as session:
        write(session, cleaned)
