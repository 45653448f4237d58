"""Profile forms. Length caps here only spare the server work: the services decide validity."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from network.accounts.validation import MAX_DISPLAY_NAME
from network.models import CardField, ProfileVisibility
from network.profiles import fields

VISIBILITY_CHOICES = [
    SelectChoice(ProfileVisibility.public.value, _l("Everyone, also people who are not signed in")),
    SelectChoice(ProfileVisibility.members.value, _l("Signed-in members only")),
]
CARD_CHOICES = [
    SelectChoice(CardField.name.value, _l("Name")),
    SelectChoice(CardField.title.value, _l("Title")),
    SelectChoice(CardField.company.value, _l("Company")),
    SelectChoice(CardField.email.value, _l("Email address")),
    SelectChoice(CardField.phone.value, _l("Phone")),
    SelectChoice(CardField.links.value, _l("Links")),
]


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes (one per choice) instead of a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(FlaskForm):
    # The browser stops typing at the real limit (maxlength); the validators' looser
    # caps only refuse absurd bodies early, so the service's own message is the one shown.
    display_name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=MAX_DISPLAY_NAME * 4)],
        render_kw={"maxlength": MAX_DISPLAY_NAME},
    )
    title = StringField(
        _l("Title"),
        validators=[Length(max=fields.MAX_TITLE * 4)],
        render_kw={"maxlength": fields.MAX_TITLE},
    )
    company = StringField(
        _l("Company"),
        validators=[Length(max=fields.MAX_COMPANY * 4)],
        render_kw={"maxlength": fields.MAX_COMPANY},
    )
    bio = TextAreaField(
        _l("About you"),
        validators=[Length(max=fields.MAX_BIO * 4)],
        render_kw={"maxlength": fields.MAX_BIO, "rows": 8},
    )
    links = TextAreaField(
        _l("Links"),
        validators=[Length(max=(fields.MAX_LINK + 2) * fields.MAX_LINKS * 4)],
        render_kw={"rows": 3},
    )
    phone = TelField(
        _l("Phone"),
        validators=[Length(max=fields.MAX_PHONE * 4)],
        render_kw={"maxlength": fields.MAX_PHONE},
    )
    visibility = RadioField(
        _l("Who can see your profile"),
        choices=VISIBILITY_CHOICES,
        default=ProfileVisibility.public.value,
    )
    card_fields = CheckboxesField(
        _l("What your business card shares"), choices=CARD_CHOICES, default=["name"]
    )
    # Shown to customers only: they are the ones a case study can be about.
    open_to_case_studies = BooleanField(_l("I am open to case studies about my success"))
    version = HiddenField()


class AvatarForm(FlaskForm):
    avatar = FileField(_l("Picture"))
