"""Form pieces many domains share: the confirm button, form keys, version fields."""

from __future__ import annotations

import secrets

from flask_wtf import FlaskForm
from wtforms import IntegerField

# Hidden fields carry the label WTForms would make up ("Key", "Version"): making
# it up asks WTForms' translations, which Flask-WTF reads from disk once per
# request (half a millisecond of the post page).
HIDDEN_KEY_LABEL = "Key"
HIDDEN_VERSION_LABEL = "Version"


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token travels."""


def new_key() -> str:
    """An idempotency key for one rendering of a form: a double submit sends it twice.

    Forms are never inside a cached fragment (network/fragments), so every
    answer gets its own.
    """
    return secrets.token_urlsafe(16)


def show_version(field: IntegerField, version: int) -> None:
    """Put the saved version into a re-shown form (the posted one would otherwise win)."""
    field.data = version
    field.raw_data = [str(version)]
