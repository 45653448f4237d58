"""Reading and writing community-wide settings; the one write path for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g
from sqlalchemy import select

from network.database import write_transaction
from network.extensions import db
from network.models import CommunitySetting

MAX_NAME_LENGTH = 80
MAX_TAGLINE_LENGTH = 200


class SettingError(ValueError):
    """A setting value that is not allowed."""


@dataclass(frozen=True)
class CommunityProfile:
    name: str | None
    tagline: str | None


_VALIDATORS = {
    "name": MAX_NAME_LENGTH,
    "tagline": MAX_TAGLINE_LENGTH,
}


def profile() -> CommunityProfile:
    """The name and tagline, read once per request (the layout asks on every page)."""
    if "community_profile" not in g:
        rows = db.session.execute(
            select(CommunitySetting.key, CommunitySetting.value).where(
                CommunitySetting.key.in_(("name", "tagline"))
            )
        ).all()
        values: dict[str, Any] = dict(rows)  # type: ignore[arg-type]
        g.community_profile = CommunityProfile(
            name=values.get("name"), tagline=values.get("tagline")
        )
    return g.community_profile


def set_value(key: str, value: str | None) -> None:
    """Store one text setting (blank or None clears it back to the default).

    Raises SettingError for an unknown key or a value over its length limit.
    """
    if key not in _VALIDATORS:
        raise SettingError(f"unknown setting {key!r}")
    if value is not None:
        value = value.strip() or None
    if value is not None and len(value) > _VALIDATORS[key]:
        raise SettingError(f"{key} is longer than {_VALIDATORS[key]} characters")
    with write_transaction() as session:
        row = session.get(CommunitySetting, key)
        if value is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(CommunitySetting(key=key, value=value))
        else:
            row.value = value
    g.pop("community_profile", None)
