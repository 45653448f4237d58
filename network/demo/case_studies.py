"""The demo's customer stories: written by staff, consented to by their customers, published.

They go through the real case-study services (opt-in, revision, request,
consent with scopes, publication), so the consent log of each is the one a
real story would have. One is open and public; the other shows what the
scopes are for: a first name with an initial, an industry instead of the
company, for members only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from network.case_studies import authoring, consent
from network.case_studies.content import Draft
from network.extensions import db
from network.models import CaseStudy, CaseStudyRevision, Member
from network.profiles import service as profiles


@dataclass(frozen=True)
class DemoStory:
    author: str
    customer: str
    draft: Draft
    scopes: dict[str, Any]


STORIES = (
    DemoStory(
        author="marta_silva",
        customer="sofia_rossi",
        draft=Draft(
            title="Forty regulars, two machines, no queue",
            challenge=(
                "A small café on a busy corner: the morning rush came all at once, and the old "
                "machine needed ten minutes to recover after every twenty cups."
            ),
            solution=(
                "Two Brewbird Duos with **shot logging**, a weekly descaling plan from the "
                "service team, and answers in this community whenever a grind drifted."
            ),
            results=(
                "The queue is gone before eight, milk waste is down, and the regulars get the "
                "same cup every day."
            ),
            quote="The machines keep up with the rush now, and I get to talk to people again.",
            figures=[
                {"label": "Cups per hour at peak", "value": "140", "unit": ""},
                {"label": "Waiting time", "value": "-60", "unit": "%"},
            ],
        ),
        scopes={
            "name": "full",
            "company": "name",
            "logo": False,
            "quote": True,
            "figures": True,
            "audience": "public",
        },
    ),
    DemoStory(
        author="anna_kovaleva",
        customer="olga_ivanova",
        draft=Draft(
            title="Кофе в офисе, который окупился за полгода",
            challenge=(
                "Сорок сотрудников, капсульная машина и ежедневные походы в кофейню: расходы "
                "росли, а кофе оставался посредственным."
            ),
            solution=(
                "Brewbird One с кофемолкой Mill, общий график обслуживания и короткий "
                "инструктаж от нашей службы поддержки."
            ),
            results=(
                "Расходы на кофе снизились почти вдвое, и очередь к машине стала местом встреч."
            ),
            quote="Считаю расходы каждый месяц: машина окупилась быстрее, чем я ожидала.",
            figures=[{"label": "Экономия в месяц", "value": "45", "unit": "%"}],
        ),
        scopes={
            "name": "initial",
            "company": "industry",
            "industry": "бухгалтерская фирма в Санкт-Петербурге",
            "logo": False,
            "quote": True,
            "figures": True,
            "audience": "members",
        },
    ),
)


def publish_stories(people: dict[str, Member]) -> int:
    """Opt each customer in, then write, ask, consent and publish; returns how many."""
    for story in STORIES:
        author, customer = people[story.author], people[story.customer]
        profiles.set_open_to_case_studies(customer, True)
        case_study = authoring.create(author, customer.handle, story.draft)
        consent.request_consent(author, case_study.id)
        consent.grant_consent(customer, case_study.id, _current_hash(case_study.id), story.scopes)
        consent.publish(author, case_study.id)
    return len(STORIES)


def _current_hash(case_study_id: int) -> str:
    case_study = db.session.get(CaseStudy, case_study_id)
    return db.session.get(CaseStudyRevision, case_study.current_revision_id).content_hash
