"""Forms for case-study pages; the service and scopes.parse decide what is valid."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import DateInput

from network.case_studies import content
from network.case_studies.identity import MAX_OWN_WORD, MAX_OWN_WORDS
from network.case_studies.scopes import MAX_INDUSTRY, Scopes
from network.case_studies.service import MAX_COMMENT

# Caps a little above the service's limits: the service gives the clear message.
_SLACK = 100
FIGURE_ROWS = 6


class FigureRow(Form):
    """One figure: label, value and unit; a row left empty is ignored."""

    label = StringField(_l("Label"), validators=[Length(max=content.MAX_FIGURE_PART + _SLACK)])
    value = StringField(_l("Value"), validators=[Length(max=content.MAX_FIGURE_PART + _SLACK)])
    unit = StringField(_l("Unit"), validators=[Length(max=content.MAX_FIGURE_PART + _SLACK)])


def _prose(label: Any) -> TextAreaField:
    return TextAreaField(
        label, validators=[Length(max=content.MAX_PROSE + _SLACK)], render_kw={"rows": 8}
    )


class CaseStudyForm(FlaskForm):
    """Staff write or revise a case study; every save becomes a revision."""

    customer = StringField(
        _l("Customer's handle"),
        validators=[Optional(), Length(max=100)],
        filters=[lambda handle: handle or ""],  # the service takes a str: a missing field is ""
        render_kw={"autocomplete": "off"},
    )
    title = StringField(_l("Title"), validators=[Length(max=content.MAX_TITLE + _SLACK)])
    challenge = _prose(_l("Challenge"))
    solution = _prose(_l("Solution"))
    results = _prose(_l("Results"))
    quote = TextAreaField(
        _l("The customer's quote (optional)"),
        validators=[Length(max=content.MAX_QUOTE + _SLACK)],
        render_kw={"rows": 3},
    )
    figures = FieldList(
        FormField(FigureRow), min_entries=FIGURE_ROWS, max_entries=content.MAX_FIGURES
    )
    logo = FileField(_l("Logo (optional)"))
    remove_logo = BooleanField(_l("Remove the logo"))
    key = HiddenField()
    base_revision = HiddenField()

    def draft(self, logo: str | None) -> content.Draft:
        return content.Draft(
            title=self.title.data or "",
            challenge=self.challenge.data or "",
            solution=self.solution.data or "",
            results=self.results.data or "",
            quote=self.quote.data or "",
            figures=[
                {part: (row.get(part) or "") for part in ("label", "value", "unit")}
                for row in self.figures.data
            ],
            logo=logo,
        )


def figure_rows(figures: list[dict[str, str]]) -> int:
    """How many rows the editor shows: the figures there are, and room for more."""
    return min(content.MAX_FIGURES, max(FIGURE_ROWS, len(figures) + 2))


YES_NO = [SelectChoice("1", _l("Yes")), SelectChoice("0", _l("No"))]


class ScopesForm(FlaskForm):
    """What the customer lets the world see. GET for the preview, POST to consent."""

    name = RadioField(
        _l("Your name"),
        choices=[
            SelectChoice("full", _l("My full name")),
            SelectChoice("initial", _l("My first name and the initial of my last name")),
            SelectChoice("anonymous", _l("Anonymous (“A customer”)")),
        ],
        validate_choice=False,
    )
    company = RadioField(
        _l("Your company"),
        choices=[
            SelectChoice("name", _l("By its name")),
            SelectChoice("industry", _l("By a description of the industry that I write")),
            SelectChoice("hidden", _l("Not at all")),
        ],
        validate_choice=False,
    )
    industry = StringField(
        _l("Industry description"),
        validators=[Length(max=MAX_INDUSTRY + _SLACK)],
        render_kw={"maxlength": MAX_INDUSTRY},
    )
    logo = RadioField(_l("Show the logo"), choices=YES_NO, validate_choice=False)
    quote = RadioField(_l("Show my quote"), choices=YES_NO, validate_choice=False)
    figures = RadioField(_l("Show the figures"), choices=YES_NO, validate_choice=False)
    audience = RadioField(
        _l("Who may read it"),
        choices=[
            SelectChoice("members", _l("Members of this community only")),
            SelectChoice("public", _l("Everyone on the web, including search engines")),
        ],
        validate_choice=False,
    )
    expires_on = StringField(
        _l("Consent ends on (optional)"), widget=DateInput(), validators=[Optional()]
    )
    identifying_words = TextAreaField(
        _l("Words that identify me (optional)"),
        validators=[Length(max=(MAX_OWN_WORD + 2) * MAX_OWN_WORDS)],
        render_kw={"rows": 3},
    )
    revision = HiddenField()

    def chosen(self) -> dict[str, Any]:
        """The raw choices, as scopes.parse reads them."""
        return {
            name: getattr(self, name).data
            for name in ("name", "company", "industry", "logo", "quote", "figures", "audience")
        } | {
            "expires_on": self.expires_on.data or None,
            "identifying_words": self.identifying_words.data or None,
        }


def scopes_data(chosen: Scopes) -> dict[str, Any]:
    """Form data showing these scopes (the defaults of the review page)."""
    return {
        "name": chosen.name.value,
        "company": chosen.company.value,
        "industry": chosen.industry or "",
        "logo": "1" if chosen.logo else "0",
        "quote": "1" if chosen.quote else "0",
        "figures": "1" if chosen.figures else "0",
        "audience": chosen.audience.value,
        "expires_on": chosen.expires_on.isoformat() if chosen.expires_on else "",
        "identifying_words": "\n".join(chosen.own_words),
    }


class ChangesForm(FlaskForm):
    comment = TextAreaField(
        _l("What should change?"),
        validators=[Length(max=MAX_COMMENT + _SLACK)],
        render_kw={"rows": 4},
    )
    revision = HiddenField()


class RevisionActionForm(FlaskForm):
    """A staff button acting on the revision they were shown (request consent, publish)."""

    revision = HiddenField()
