"""Building case studies in tests through the real services.

The default story never names its customer or their company, so every scope
(anonymous, hidden) passes the name-leak guard unless a test adds a leak.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from network.extensions import db
from network.models import Member

COMPANY = "Northwind Bakery"
STORY = {
    "title": "Fresh bread before sunrise",
    "challenge": "Forty ovens, three shifts, and espresso machines that failed at 5 am.",
    "solution": "A maintenance plan and **live answers** from the service team.",
    "results": "Downtime fell by two thirds within a quarter.",
    "quote": "We have not missed a morning since.",
    "figures": [{"label": "Downtime", "value": "-66", "unit": "%"}],
}
OPEN_SCOPES = {
    "name": "full",
    "company": "name",
    "logo": False,
    "quote": True,
    "figures": True,
    "audience": "public",
}
PRIVATE_SCOPES = {
    "name": "anonymous",
    "company": "hidden",
    "logo": False,
    "quote": False,
    "figures": False,
    "audience": "members",
}


def _fresh(member: Member) -> Member:
    return db.session.get(Member, member.id)


def opt_in(app: Flask, customer: Member, company: str | None = COMPANY) -> None:
    """The customer says they are open to case studies (and names their company)."""
    from network.database import write_transaction
    from network.models import Profile
    from network.profiles import service as profiles

    with app.app_context():
        profiles.set_open_to_case_studies(_fresh(customer), True)
        with write_transaction() as session:
            session.get(Profile, customer.id).company = company


def draft(**changes: Any):
    from network.case_studies.content import Draft

    return Draft(**{**STORY, **changes})


def make_case_study(app: Flask, author: Member, customer: Member, **changes: Any) -> int:
    from network.case_studies import authoring

    with app.app_context():
        case_study = authoring.create(_fresh(author), customer.handle, draft(**changes))
        return case_study.id


def ask(app: Flask, author: Member, case_study_id: int) -> str:
    """Send the current revision to the customer; returns its hash."""
    from network.case_studies import consent
    from network.models import CaseStudy, CaseStudyRevision

    with app.app_context():
        consent.request_consent(_fresh(author), case_study_id)
        case_study = db.session.get(CaseStudy, case_study_id)
        return db.session.get(CaseStudyRevision, case_study.current_revision_id).content_hash


def current_hash(app: Flask, case_study_id: int) -> str:
    from network.models import CaseStudy, CaseStudyRevision

    with app.app_context():
        case_study = db.session.get(CaseStudy, case_study_id)
        return db.session.get(CaseStudyRevision, case_study.current_revision_id).content_hash


def grant(
    app: Flask, customer: Member, case_study_id: int, revision: str | None = None, **scopes: Any
) -> None:
    from network.case_studies import consent

    revision = revision or current_hash(app, case_study_id)
    with app.app_context():
        consent.grant_consent(_fresh(customer), case_study_id, revision, {**OPEN_SCOPES, **scopes})


def publish(app: Flask, author: Member, case_study_id: int) -> None:
    from network.case_studies import consent

    with app.app_context():
        consent.publish(_fresh(author), case_study_id)


def published_case_study(
    app: Flask,
    author: Member,
    customer: Member,
    *,
    profile_company: str | None = COMPANY,
    **scopes: Any,
) -> int:
    """Opt in, write, ask, consent with these scopes (open ones by default), publish."""
    opt_in(app, customer, profile_company)
    case_study_id = make_case_study(app, author, customer)
    ask(app, author, case_study_id)
    grant(app, customer, case_study_id, **scopes)
    publish(app, author, case_study_id)
    return case_study_id


def withdraw(app: Flask, customer: Member, case_study_id: int) -> None:
    from network.case_studies import consent

    with app.app_context():
        consent.withdraw(_fresh(customer), case_study_id)
