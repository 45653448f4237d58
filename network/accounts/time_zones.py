"""A member's time zone: which names are offered, the one they chose, and saving it."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l

from network.database import write_transaction
from network.exceptions import Invalid
from network.models import Member


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """Every IANA name zoneinfo knows, sorted (the settings page's select, the API's check)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def default() -> str:
    return current_app.config.get("DEFAULT_TIME_ZONE") or "UTC"


def of(member: Member) -> str:
    """The member's time zone: their choice, else the community's default."""
    return member.time_zone or default()


def zone(member: Member) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(of(member))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # a zone the system no longer has
        return zoneinfo.ZoneInfo("UTC")


def local(member: Member, moment: datetime) -> datetime:
    """An aware moment as the member's wall clock shows it."""
    return moment.astimezone(zone(member))


def set_time_zone(member: Member, name: str) -> None:
    """Store the member's time zone; raises Invalid for a name zoneinfo does not know."""
    if not isinstance(name, str) or name not in zoneinfo.available_timezones():
        raise Invalid(
            _l("Choose a time zone from the list, such as Europe/Berlin."), field="time_zone"
        )
    member_id = member.id
    with write_transaction() as session:
        session.get(Member, member_id).time_zone = name
