"""Admin forms; the services decide what is valid."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional


class SettingsForm(FlaskForm):
    name = StringField(_l("Community name"), validators=[Optional(), Length(max=200)])
    tagline = StringField(_l("Tagline"), validators=[Optional(), Length(max=400)])
    registration = RadioField(
        _l("How people join"),
        choices=[
            SelectChoice("open", _l("Open: anyone can join")),
            SelectChoice("invite", _l("By invitation only")),
            SelectChoice("approval", _l("With approval: an admin lets new members in")),
        ],
    )
    staff_domains = TextAreaField(
        _l("Company email domains"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 3},
    )
    employees_may_invite = BooleanField(_l("Employees may invite customers"))
    accent = StringField(
        _l("Accent colour"), validators=[Optional(), Length(max=20)], render_kw={"type": "color"}
    )
    terms = TextAreaField(
        _l("Terms of use (Markdown)"), validators=[Optional()], render_kw={"rows": 8}
    )
    privacy = TextAreaField(
        _l("Privacy policy (Markdown)"), validators=[Optional()], render_kw={"rows": 8}
    )


class LogoForm(FlaskForm):
    logo = FileField(_l("Logo"))
