"""Forms of the front door."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired

from network.i18n import LANGUAGE_NAMES


class LanguageForm(FlaskForm):
    # The template draws the <select>; the server accepts only known codes.
    language = StringField(validators=[DataRequired(), AnyOf(list(LANGUAGE_NAMES))])
    next = HiddenField()
