"""Account forms. Length caps here only spare the server work: the services decide validity."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from network.accounts.passwords import MAX_LENGTH

# Generous caps: a pasted value over these is refused before any hashing.
_EMAIL = Length(max=254)
_PASSWORD = Length(max=MAX_LENGTH * 4)


class SignUpForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), _EMAIL])
    handle = StringField(_l("Handle"), validators=[DataRequired(), Length(max=60)])
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), _PASSWORD])
    invite = HiddenField()  # an invitation token from /signup?invite=...
    ref = HiddenField()  # the handle of the friend whose personal link brought them


class SignInForm(FlaskForm):
    login = StringField(_l("Email or handle"), validators=[DataRequired(), _EMAIL])
    password = PasswordField(_l("Password"), validators=[DataRequired(), _PASSWORD])
    remember = BooleanField(_l("Keep me signed in for 30 days"))
    next = HiddenField()
    # A solved proof of work (accounts/proof.py), filled in by static/js/sign_in_proof.js
    proof = HiddenField(validators=[Length(max=400)])
    proof_nonce = HiddenField(validators=[Length(max=32)])


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), _EMAIL])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), _PASSWORD])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), _PASSWORD])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), _PASSWORD])


class ChangeEmailForm(FlaskForm):
    new_email = EmailField(_l("New email"), validators=[DataRequired(), _EMAIL])
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), _PASSWORD])


class FirstAdminForm(SignUpForm):
    pass


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=200)])
    # Checked by the service (tokens.token_lifetime), which names the field on refusal.
    lifetime = SelectField(
        _l("Works for"),
        choices=[
            SelectChoice("7", _l("7 days")),
            SelectChoice("30", _l("30 days")),
            SelectChoice("90", _l("90 days")),
            SelectChoice("365", _l("a year")),
            SelectChoice("never", _l("until I revoke it")),
        ],
        default="90",
        validate_choice=False,
    )


ROLE_CHOICES = [
    SelectChoice("customer", _l("customer")),
    SelectChoice("employee", _l("employee")),
    SelectChoice("moderator", _l("moderator")),
    SelectChoice("admin", _l("admin")),
]


class InvitationForm(FlaskForm):
    role = SelectField(_l("Joins as"), choices=ROLE_CHOICES, default="customer")
    days = IntegerField(
        _l("Valid for (days)"), default=14, validators=[InputRequired(), NumberRange(min=1, max=90)]
    )
    max_uses = IntegerField(
        _l("How many people may use it"),
        default=1,
        validators=[InputRequired(), NumberRange(min=1, max=1000)],
    )
    note = StringField(_l("Note (for you)"), validators=[Optional(), Length(max=300)])
