"""Forms for posts and comments; the services decide what is valid."""

from __future__ import annotations

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

from network.posts.comments import MAX_COMMENT
from network.posts.service import MAX_BODY, MAX_TITLE
from network.web.forms import HIDDEN_KEY_LABEL, HIDDEN_VERSION_LABEL

# Caps a little above the services' limits: the service gives the clear message.
_SLACK = 100


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
