"""The one scope-aware rendering of a case study, used by every surface.

Its page, feed cards, the API, Open Graph tags, the Atom feed and the
customer's preview all build a ``Story`` here and show nothing else, so a
scope the customer did not grant cannot leak through a surface that forgot
to apply it: the withheld parts are simply not in the object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from network import sanitize, times
from network.case_studies import guard, identity
from network.case_studies.scopes import Scopes
from network.logs import get_logger
from network.models import (
    CaseStudy,
    CaseStudyConsent,
    CaseStudyRevision,
    CompanyScope,
    Member,
    NameScope,
    Profile,
)
from network.uploads.service import upload_url

EXCERPT = 200
log = get_logger("case_studies")


@dataclass(frozen=True)
class Story:
    id: int
    title: str
    challenge_html: Markup
    solution_html: Markup
    results_html: Markup
    quote: str | None
    figures: list[dict[str, str]]
    customer_name: str
    # Only with the full name: a link to their profile and their picture
    customer_handle: str | None
    customer_avatar: Any | None  # the member, for avatar_url; None unless the name is full
    company: str | None
    logo_url: str | None
    audience: str
    consented_on: date | None
    published_at: datetime | None
    revision_hash: str
    revision_number: int
    scopes: dict[str, Any] = field(default_factory=dict)

    @property
    def excerpt(self) -> str:
        return sanitize.plain_text(self.challenge_html, EXCERPT)

    @property
    def public(self) -> bool:
        return self.audience == "public"

    def as_dict(self) -> dict[str, Any]:
        """The API's and socket's form: exactly what the scopes allow, nothing more."""
        return {
            "id": self.id,
            "title": self.title,
            "challenge_html": str(self.challenge_html),
            "solution_html": str(self.solution_html),
            "results_html": str(self.results_html),
            "quote": self.quote,
            "figures": self.figures,
            "customer": {"name": self.customer_name, "handle": self.customer_handle},
            "company": self.company,
            "logo_url": self.logo_url,
            "audience": self.audience,
            "consented_on": self.consented_on.isoformat() if self.consented_on else None,
            "published_at": times.rfc3339(self.published_at),
            "revision": self.revision_hash,
            "url": f"/case-studies/{self.id}",
        }


def scoped_name(customer: Member, scope: NameScope) -> str:
    if scope == NameScope.full:
        return customer.display_name
    if scope == NameScope.initial:
        parts = customer.display_name.split()
        if len(parts) == 1:
            return parts[0]
        return f"{parts[0]} {parts[-1][0]}."
    return str(_l("A customer"))


def story(
    case_study: CaseStudy,
    revision: CaseStudyRevision,
    customer: Member,
    scopes: Scopes,
    company: str | None,
    *,
    consented_on: date | None = None,
) -> Story:
    """The revision as these scopes allow it to be seen.

    ``company`` is what the company scope shows when it is "name" (the
    snapshot taken at consent, or the profile's company in a preview).
    """
    full = scopes.name == NameScope.full
    if scopes.company == CompanyScope.name:
        shown_company = company or None
    elif scopes.company == CompanyScope.industry:
        shown_company = scopes.industry
    else:
        shown_company = None
    return Story(
        id=case_study.id,
        title=revision.title,
        challenge_html=Markup(revision.challenge_html),  # noqa: S704 (sanitized on the way in)
        solution_html=Markup(revision.solution_html),  # noqa: S704
        results_html=Markup(revision.results_html),  # noqa: S704
        quote=revision.quote or None if scopes.quote else None,
        figures=list(revision.figures) if scopes.figures else [],
        customer_name=scoped_name(customer, scopes.name),
        customer_handle=customer.handle if full else None,
        customer_avatar=customer if full else None,
        company=shown_company,
        logo_url=upload_url(revision.logo) if scopes.logo and revision.logo else None,
        audience=scopes.audience.value,
        consented_on=consented_on,
        published_at=case_study.published_at,
        revision_hash=revision.content_hash,
        revision_number=revision.number,
        scopes=scopes.as_dict(),
    )


def consent_scopes(consent: CaseStudyConsent) -> Scopes:
    return Scopes(
        name=consent.name_scope,
        company=consent.company_scope,
        industry=consent.company_text if consent.company_scope == CompanyScope.industry else None,
        logo=consent.show_logo,
        quote=consent.show_quote,
        figures=consent.show_figures,
        audience=consent.audience,
        expires_on=consent.expires_on,
        own_words=tuple(consent.identifying_words or ()),
    )


def published_story(
    case_study: CaseStudy,
    revision: CaseStudyRevision,
    consent: CaseStudyConsent,
    customer: Member,
    profile: Profile | None,
) -> Story | None:
    """The published revision under the consent it was published with, or None.

    The guard runs again here, in depth: a story whose text names its customer
    against its consent (a profile changed since, a row forced past the service)
    is not shown anywhere, and the error log says which.
    """
    chosen = consent_scopes(consent)
    if guard.would_leak(revision, identity.of(customer, profile, chosen.own_words), chosen):
        log.error(
            "case study withheld: its text names its customer against the consent "
            "case_study=%s consent=%s revision=%s",
            case_study.id,
            consent.id,
            revision.number,
        )
        return None
    company = consent.company_text if consent.company_scope == CompanyScope.name else None
    return story(
        case_study,
        revision,
        customer,
        chosen,
        company,
        consented_on=consent.granted_at.date(),
    )
