"""Forms for posts and comments; the services decide what is valid."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from network import page_cache
from network.posts.comments import MAX_COMMENT
from network.posts.service import MAX_BODY, MAX_TITLE

# Caps a little above the services' limits: the service gives the clear message.
_SLACK = 100


def show_version(field: IntegerField, version: int) -> None:
    """Put the saved version into a re-shown form (the posted one would otherwise win)."""
    field.data = version
    field.raw_data = [str(version)]


# Hidden fields carry the label WTForms would make up ("Key", "Version"): making
# it up asks WTForms' translations, which Flask-WTF reads from disk once per
# request (half a millisecond of the post page).
HIDDEN_KEY_LABEL = "Key"
HIDDEN_VERSION_LABEL = "Version"


def new_key() -> str:
    """An idempotency key for one rendering of a form: a double submit sends it twice.

    Every answer gets its own, kept pages included (page_cache.per_request).
    """
    return page_cache.per_request(secrets.token_urlsafe(16))


class PostForm(FlaskForm):
    title = StringField(
        _l("Title (optional)"), validators=[Optional(), Length(max=MAX_TITLE + _SLACK)]
    )
    body = TextAreaField(
        _l("Text"),
        validators=[DataRequired(), Length(max=MAX_BODY + _SLACK)],
        render_kw={"rows": 12},
    )
    visibility = RadioField(
        _l("Who can see it"),
        choices=[
            SelectChoice("public", _l("Everyone, including search engines")),
            SelectChoice("members", _l("Members only")),
        ],
        default="public",
    )
    pinned_until = DateField(_l("Pin as an announcement until (staff)"), validators=[Optional()])
    key = HiddenField(HIDDEN_KEY_LABEL)
    version = IntegerField(HIDDEN_VERSION_LABEL, widget=HiddenField.widget, validators=[Optional()])


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[DataRequired(), Length(max=MAX_COMMENT + _SLACK)],
        render_kw={"rows": 3},
    )
    key = HiddenField(HIDDEN_KEY_LABEL)


class CommentEditForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"),
        validators=[DataRequired(), Length(max=MAX_COMMENT + _SLACK)],
        render_kw={"rows": 4},
    )
    version = IntegerField(
        HIDDEN_VERSION_LABEL, widget=HiddenField.widget, validators=[DataRequired()]
    )
