"""The scopes a customer grants: how they are named, what is shown, to whom, until when.

The guard that keeps "anonymous" truly anonymous is guard.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from network import text_rules
from network.case_studies import content, identity
from network.exceptions import Invalid
from network.models import Audience, CompanyScope, NameScope, utcnow

MAX_INDUSTRY = 120
FIELD_NAMES = {
    **content.FIELD_LABELS,
    "industry": _l("Industry description"),
    "logo": _l("Logo"),
}


@dataclass(frozen=True)
class Scopes:
    name: NameScope
    company: CompanyScope
    industry: str | None
    logo: bool
    quote: bool
    figures: bool
    audience: Audience
    expires_on: date | None
    # The customer's "words that identify me": checked by the guard, never shown.
    own_words: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name.value,
            "company": self.company.value,
            "industry": self.industry,
            "logo": self.logo,
            "quote": self.quote,
            "figures": self.figures,
            "audience": self.audience.value,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
        }


# The most private choice of each: what a preview shows before the customer picks.
PRIVATE = Scopes(
    name=NameScope.anonymous,
    company=CompanyScope.hidden,
    industry=None,
    logo=False,
    quote=False,
    figures=False,
    audience=Audience.members,
    expires_on=None,
)

# What staff and the customer see of a revision nobody consented to yet: everything as written.
AS_WRITTEN = Scopes(
    name=NameScope.full,
    company=CompanyScope.name,
    industry=None,
    logo=True,
    quote=True,
    figures=True,
    audience=Audience.members,
    expires_on=None,
)


def _choice(kind: Any, value: Any, name: str, message: Any) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise Invalid(message, field=name) from None


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in (None, "", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on", "y"):
        return True
    raise Invalid(_l("Choose yes or no."), field=name)


def _expiry(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise Invalid(_l("Give a date as YYYY-MM-DD."), field="expires_on") from None
    if not isinstance(value, date):
        raise Invalid(_l("Give a date as YYYY-MM-DD."), field="expires_on")
    if value <= utcnow().date():
        raise Invalid(_l("Choose a date in the future."), field="expires_on")
    return value


OWN_WORD_ERRORS = {
    "type": _l("List the words as text, one per line."),
    "count": _l("List at most %(max)d words.", max=identity.MAX_OWN_WORDS),
    "length": _l("Keep each entry under %(max)d characters.", max=identity.MAX_OWN_WORD),
    "short": _l("Each entry needs at least three letters or digits."),
}


def _own_words(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        text_rules.check_storable(value, "identifying_words", _l("Words that identify me"))
    elif isinstance(value, list):
        for word in value:
            if isinstance(word, str):
                text_rules.check_storable(word, "identifying_words", _l("Words that identify me"))
    try:
        return identity.own_words(value)
    except ValueError as error:
        raise Invalid(OWN_WORD_ERRORS[str(error)], field="identifying_words") from None


def parse(values: dict[str, Any]) -> Scopes:
    """Scopes from a form or an API body; raises Invalid naming the field."""
    company = _choice(
        CompanyScope, values.get("company"), "company", _l("Choose how your company is shown.")
    )
    industry = None
    if company == CompanyScope.industry:
        industry = " ".join(str(values.get("industry") or "").split())
        if not industry:
            raise Invalid(_l("Describe your industry in a few words."), field="industry")
        if len(industry) > MAX_INDUSTRY:
            raise Invalid(_l("Use at most %(max)d characters.", max=MAX_INDUSTRY), field="industry")
    logo = _flag(values.get("logo"), "logo")
    if logo and company != CompanyScope.name:
        # A logo names the company as surely as its name does.
        raise Invalid(
            _l("A logo shows your company: show its name too, or leave the logo out."), field="logo"
        )
    return Scopes(
        name=_choice(NameScope, values.get("name"), "name", _l("Choose how your name is shown.")),
        company=company,
        industry=industry,
        logo=logo,
        quote=_flag(values.get("quote"), "quote"),
        figures=_flag(values.get("figures"), "figures"),
        audience=_choice(
            Audience, values.get("audience"), "audience", _l("Choose who may read it.")
        ),
        expires_on=_expiry(values.get("expires_on")),
        own_words=_own_words(values.get("identifying_words")),
    )
