"""What a valid email address, handle and display name are; shared by forms, API and CLI."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from network import text_rules
from network.exceptions import Invalid
from network.extensions import db
from network.models import Member

MAX_EMAIL = 254
HANDLE_PATTERN = re.compile(r"^[a-z0-9_]{3,30}$")
MAX_DISPLAY_NAME = 80
# Handles become URLs (/u/<handle>) and @mentions; these would mislead.
RESERVED_HANDLES = frozenset(
    [
        "admin",
        "administrator",
        "api",
        "root",
        "staff",
        "support",
        "moderator",
        "moderators",
        "system",
        "null",
        "undefined",
        "settings",
        "setup",
        "signin",
        "signup",
        "signout",
        "login",
        "logout",
        "register",
        "reset",
        "verify",
        "static",
        "healthz",
        "community",
        "official",
        "team",
        "help",
        "security",
        "everyone",
        "here",
        "all",
    ]
)


def normalize_email(raw: str | None, field: str = "email") -> str:
    """The address in the form we store and compare (lower-case); raises Invalid."""
    text = (raw or "").strip()
    if not text or len(text) > MAX_EMAIL:
        raise Invalid(_l("Enter a valid email address."), field=field)
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise Invalid(_l("Enter a valid email address."), field=field) from None
    return checked.normalized.lower()


def normalize_handle(raw: str | None, field: str = "handle") -> str:
    handle = (raw or "").strip().lstrip("@").lower()
    if not HANDLE_PATTERN.match(handle):
        raise Invalid(
            _l("Use 3 to 30 characters: Latin letters, digits and underscores."), field=field
        )
    if handle in RESERVED_HANDLES:
        raise Invalid(_l("This handle is reserved; please choose another."), field=field)
    return handle


def normalize_display_name(raw: str | None, field: str = "display_name") -> str:
    """The name as shown: one space between words; raises Invalid (controls, bidi, blank, long)."""
    name = text_rules.title(raw, field, _l("Name"))
    if not name:
        raise Invalid(_l("Enter a name."), field=field)
    if len(name) > MAX_DISPLAY_NAME:
        raise Invalid(_l("Use at most %(max)d characters.", max=MAX_DISPLAY_NAME), field=field)
    return name


def ensure_email_free(email: str, field: str = "email", *, except_member: int | None = None):
    query = select(Member.id).where(func.lower(Member.email) == email)
    if except_member is not None:
        query = query.where(Member.id != except_member)
    if db.session.scalar(query) is not None:
        raise Invalid(_l("An account with this email address already exists."), field=field)


def ensure_handle_free(handle: str, field: str = "handle") -> None:
    if db.session.scalar(select(Member.id).where(Member.handle == handle)) is not None:
        raise Invalid(_l("This handle is taken; please choose another."), field=field)
