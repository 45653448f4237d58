"""Seeding the demo community through the real services, and telling whether it is there.

Every member, profile, follow, post and comment is written by the same service
function that a person's click would call, so the demo data is exactly like
real data. The one exception is the timeline (see `backdate`).
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select, update

from network.accounts import members
from network.community import service as community
from network.database import HOW_TO_MIGRATE, schema_problem, write_transaction
from network.demo import case_studies
from network.demo.content import (
    ANNOUNCEMENT,
    CAST,
    COMPANY,
    MARKER_HANDLE,
    Person,
    Thread,
)
from network.demo.content_en import THREADS_EN
from network.demo.content_ru import THREADS_RU
from network.extensions import db
from network.models import Comment, Member, Post, Role, utcnow
from network.posts import comments as comment_service
from network.posts import service as post_service
from network.profiles import follows
from network.profiles.service import ProfileChanges, update_profile

#: How far back the demo's conversations reach.
SPAN = timedelta(weeks=6)
#: Comments arrive within this time after their post (or before now, if sooner).
CONVERSATION_WINDOW = timedelta(days=2)
#: The same community every run (who follows whom, the timeline); only passwords differ.
RANDOM_SEED = 20261126
COMMUNITY_TAGLINE = "Questions, recipes and release notes for Brewbird espresso machines."
_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)

Progress = Callable[..., AbstractContextManager[Iterable[Any]]]


class DemoRefused(Exception):
    """The demo cannot be seeded into this database; the message says why and what to do."""


@dataclass
class Credentials:
    """The passwords of this run: made here, never stored in clear, printed once by the CLI."""

    admin_email: str
    admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    member_password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    created: list[str] = field(default_factory=list)  # addresses of the accounts made so far

    def password_for(self, person: Person) -> str:
        return self.admin_password if person.email == self.admin_email else self.member_password


@dataclass
class Summary:
    members: int = 0
    posts: int = 0
    posts_in_russian: int = 0
    members_only: int = 0
    comments: int = 0
    follows: int = 0
    pinned: int = 0
    case_studies: int = 0


def threads() -> list[Thread]:
    """All posts in the order they were "written": both languages interleaved, then the pin."""
    mixed: list[Thread] = []
    for index in range(max(len(THREADS_EN), len(THREADS_RU))):
        mixed.extend(group[index] for group in (THREADS_EN, THREADS_RU) if index < len(group))
    return [*mixed, ANNOUNCEMENT]


def admin_person() -> Person:
    return next(person for person in CAST if person.role == Role.admin)


def new_credentials() -> Credentials:
    return Credentials(admin_email=admin_person().email)


# Is it there? May it be seeded here? ---------------------------------------------------------


def existing_demo_posts() -> int | None:
    """How many posts the demo's members wrote, when the demo was seeded here; None otherwise."""
    if db.session.scalar(select(Member.id).where(Member.handle == MARKER_HANDLE)) is None:
        return None
    return db.session.scalar(
        select(func.count(Post.id))
        .join(Member, Member.id == Post.author_id)
        .where(Member.handle.in_([person.handle for person in CAST]))
    )


def check_schema() -> None:
    """Raise DemoRefused unless the database has every table (it was migrated)."""
    problem = schema_problem(current_app._get_current_object())  # type: ignore[attr-defined]
    if problem:
        raise DemoRefused(f"Cannot seed the demo: {problem}. {HOW_TO_MIGRATE}")


def check_names_free() -> None:
    """Raise DemoRefused when a member already has one of the demo's handles or addresses."""
    taken = list(
        db.session.scalars(
            select(Member.handle).where(
                or_(
                    Member.handle.in_([person.handle for person in CAST]),
                    Member.email.in_([person.email for person in CAST]),
                )
            )
        )
    )
    if taken:
        raise DemoRefused(
            "Cannot seed the demo: members with these handles or the demo's addresses exist "
            "already: "
            + ", ".join(f"@{handle}" for handle in sorted(taken))
            + ". Seed it into a fresh database instead."
        )


# Seeding -------------------------------------------------------------------------------------


def _quietly(items: Sequence[Any], label: str = "") -> AbstractContextManager[Iterable[Any]]:
    return nullcontext(items)


def seed(credentials: Credentials, progress: Progress = _quietly) -> Summary:
    """Build the demo community; call check_schema() and check_names_free() first.

    `progress(items, label=...)` wraps each phase (click.progressbar fits).
    Accounts made are listed in `credentials.created` as they are made, so a
    caller can tell people how to sign in even when a later step fails.
    Raises whatever a service raises; what was committed before stays.
    """
    rng = random.Random(RANDOM_SEED)  # noqa: S311 (the shape of the demo, not a secret)
    summary = Summary()
    people = _create_members(credentials, progress)
    summary.members = len(people)
    _fill_profiles(people, progress)
    summary.follows = _follow_each_other(people, rng, progress)
    _name_the_community()
    now = utcnow()
    story = threads()
    timeline: list[tuple[int, datetime, list[tuple[int, datetime]]]] = []
    with progress(story, label="Posts and comments") as bar:
        for thread in bar:
            post_id, comment_ids = _write_thread(thread, people)
            posted, comment_times = _moments(rng, now, len(timeline), len(story), len(comment_ids))
            timeline.append((post_id, posted, list(zip(comment_ids, comment_times, strict=True))))
            summary.posts += 1
            summary.posts_in_russian += bool(_CYRILLIC.search(thread.body))
            summary.members_only += thread.members_only
            summary.comments += len(comment_ids)
            summary.pinned += thread.pinned_days is not None
    backdate(timeline)
    summary.case_studies = case_studies.publish_stories(people)
    return summary


def _create_members(credentials: Credentials, progress: Progress) -> dict[str, Member]:
    people: dict[str, Member] = {}
    with progress(CAST, label="Members") as bar:
        for person in bar:
            member = members.create_member(
                email=person.email,
                handle=person.handle,
                password=credentials.password_for(person),
                role=person.role,
                display_name=person.name,
            )
            credentials.created.append(person.email)
            members.set_language(member, person.language)
            people[person.handle] = member
    return people


def _fill_profiles(people: dict[str, Member], progress: Progress) -> None:
    with progress(CAST, label="Profiles") as bar:
        for person in bar:
            changes = ProfileChanges(
                display_name=person.name,
                title=person.title,
                company=person.company,
                bio=person.bio,
                links=list(person.links),
                visibility="public",
                card_fields=["name", "title", "company", "links"],
            )
            update_profile(people[person.handle], changes, version=0)


def _follow_plan(rng: random.Random) -> list[tuple[str, str]]:
    """Who follows whom: the official account, the staff of one's language, some peers."""
    by_language: dict[str, list[Person]] = {}
    for person in CAST:
        by_language.setdefault(person.language, []).append(person)
    plan: list[tuple[str, str]] = []
    for person in CAST:
        same = [other for other in by_language[person.language] if other != person]
        other_language = [other for other in CAST if other.language != person.language]
        chosen = {other.handle for other in same if other.role != Role.customer}
        chosen.update(other.handle for other in rng.sample(same, k=min(5, len(same))))
        chosen.add(rng.choice(other_language).handle)
        chosen.add(MARKER_HANDLE)
        chosen.discard(person.handle)
        plan.extend((person.handle, handle) for handle in sorted(chosen))
    return plan


def _follow_each_other(people: dict[str, Member], rng: random.Random, progress: Progress) -> int:
    plan = _follow_plan(rng)
    with progress(plan, label="Follows") as bar:
        for follower, followee in bar:
            follows.follow(people[follower], followee)
    return len(plan)


def _name_the_community() -> None:
    """Give the community a name and tagline, unless the operator chose them already."""
    if community.profile().name is None:
        community.set_value("name", f"{COMPANY} Community")
    if community.profile().tagline is None:
        community.set_value("tagline", COMMUNITY_TAGLINE)


def _write_thread(thread: Thread, people: dict[str, Member]) -> tuple[int, list[int]]:
    pinned_until = None
    if thread.pinned_days is not None:
        pinned_until = utcnow().date() + timedelta(days=thread.pinned_days)
    post = post_service.create_post(
        people[thread.author],
        title=thread.title,
        body=thread.body,
        visibility="members" if thread.members_only else "public",
        pinned_until=pinned_until,
    )
    post_id = post.id
    comment_ids = [
        comment_service.add_comment(people[handle], post_id, text).id
        for handle, text in thread.comments
    ]
    return post_id, comment_ids


def _moments(
    rng: random.Random, now: datetime, index: int, total: int, comments: int
) -> tuple[datetime, list[datetime]]:
    """When the index-th of `total` posts was written (oldest first, over SPAN) and its comments."""
    slot = SPAN / (total + 1)
    posted = now - SPAN + slot * index + slot * rng.uniform(0.1, 0.9)
    window = min(now - posted, CONVERSATION_WINDOW)
    offsets = sorted(rng.uniform(0.02, 0.98) for _ in range(comments))
    return posted, [posted + window * offset for offset in offsets]


def backdate(timeline: list[tuple[int, datetime, list[tuple[int, datetime]]]]) -> None:
    """Move the demo's posts and comments to the moments of the planned timeline.

    The services stamp created_at with the clock on purpose: no client may
    choose when it wrote something. A demo written in one second would show
    "just now" everywhere and one undifferentiated feed, so after creating
    everything through the services we move created_at, and nothing else,
    of the rows the demo just made, in one transaction. Each comment stays
    after its post and the comments of a post stay in seq order, so the
    keyset pages and the conversation numbers read as they would have.
    (The conversation log's own created_at keeps the seeding time.)
    """
    post_rows = [{"id": post_id, "created_at": posted} for post_id, posted, _ in timeline]
    comment_rows = [
        {"id": comment_id, "created_at": moment}
        for _, _, comments in timeline
        for comment_id, moment in comments
    ]
    with write_transaction() as session:
        session.execute(update(Post), post_rows)
        if comment_rows:
            session.execute(update(Comment), comment_rows)
