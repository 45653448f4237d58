"""The scopes a customer grants, and the guard that keeps "anonymous" truly anonymous."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from network import sanitize
from network.exceptions import Invalid
from network.models import Audience, CaseStudyRevision, CompanyScope, Member, NameScope, utcnow

MAX_INDUSTRY = 120
CONTEXT = 30  # characters shown either side of a leak
MAX_PLACES = 5  # leaks quoted in one refusal
FIELD_NAMES = {
    "title": _l("Title"),
    "challenge": _l("Challenge"),
    "solution": _l("Solution"),
    "results": _l("Results"),
    "quote": _l("Quote"),
    "figures": _l("Figures"),
    "industry": _l("Industry description"),
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
    )


# The name-leak guard ------------------------------------------------------------------------


@dataclass(frozen=True)
class Leak:
    term: str
    field: str
    context: str

    def describe(self) -> str:
        return str(
            _l(
                "“%(term)s” appears in %(field)s: “%(context)s”",
                term=self.term,
                field=FIELD_NAMES[self.field],
                context=self.context,
            )
        )


def _shown_texts(revision: CaseStudyRevision, scopes: Scopes) -> list[tuple[str, str]]:
    texts = [("title", revision.title)]
    texts += [
        (name, sanitize.plain_text(getattr(revision, f"{name}_html")))
        for name in ("challenge", "solution", "results")
    ]
    if scopes.quote:
        texts.append(("quote", revision.quote))
    if scopes.figures:
        texts += [("figures", " ".join(row.values())) for row in revision.figures]
    if scopes.industry:
        texts.append(("industry", scopes.industry))
    return texts


def _matches(term: str, text: str) -> list[tuple[int, int]]:
    """Where term stands as a whole word in text, case-insensitive."""
    pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
    return [match.span() for match in pattern.finditer(text)]


def _context(text: str, start: int, end: int) -> str:
    start, end = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    return (
        ("…" if start else "")
        + " ".join(text[start:end].split())
        + ("…" if end < len(text) else "")
    )


def _name_terms(customer: Member, scope: NameScope) -> list[str]:
    if scope == NameScope.full:
        return []
    parts = customer.display_name.split()
    terms = [customer.display_name, f"@{customer.handle}", customer.handle]
    if scope == NameScope.anonymous:
        terms += [part for part in parts if len(part) >= 3]
    else:  # "First L." shows the first name: only the rest of the name gives them away
        terms += [part for part in parts[1:] if len(part) >= 3]
        shown = parts[0].casefold() if parts else ""
        terms = [term for term in terms if term.casefold() != shown]
    return list(dict.fromkeys(terms))


def leaks(
    revision: CaseStudyRevision, customer: Member, company: str | None, scopes: Scopes
) -> dict[str, list[Leak]]:
    """Where the shown text still names the customer or their company, by scope field."""
    found: dict[str, list[Leak]] = {}
    texts = _shown_texts(revision, scopes)
    checks = [("name", term) for term in _name_terms(customer, scopes.name)]
    if scopes.company != CompanyScope.name and company:
        checks.append(("company", company))
    # Longest terms first, and a place is reported once: "Jake Miller" hides the "Jake"
    # and "Miller" inside it, while a "Miller" elsewhere is a place of its own.
    checks.sort(key=lambda check: -len(check[1]))
    for text_field, text in texts:
        taken: list[tuple[int, int]] = []
        for scope_field, term in checks:
            for start, end in _matches(term, text):
                if any(start < other_end and other_start < end for other_start, other_end in taken):
                    continue
                taken.append((start, end))
                # Quote the words as written there, not the term as we spelled it
                leak = Leak(text[start:end], text_field, _context(text, start, end))
                found.setdefault(scope_field, []).append(leak)
    return found


def refuse_leaks(found: dict[str, list[Leak]]) -> None:
    """Raise Invalid on the first scope that leaks, listing the places it does (five at most)."""
    for scope_field, items in found.items():
        places = "; ".join(item.describe() for item in items[:MAX_PLACES])
        if len(items) > MAX_PLACES:
            more = len(items) - MAX_PLACES
            places += "; " + ngettext("and %(num)d more place", "and %(num)d more places", more)
        if scope_field == "name":
            message = _l(
                "Your name still appears in the text, so it cannot be shown as you chose: "
                "%(places)s. Ask for changes, or choose another option.",
                places=places,
            )
        else:
            message = _l(
                "Your company's name still appears in the text, so it cannot be hidden: "
                "%(places)s. Ask for changes, or choose another option.",
                places=places,
            )
        raise Invalid(message, field=scope_field)
