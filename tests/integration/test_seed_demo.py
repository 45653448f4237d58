"""The demo community (issue 8): `flask --app network seed-demo` through the real services."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from network import create_app
from network.extensions import db
from network.models import (
    Comment,
    Follow,
    Member,
    Post,
    Profile,
    Role,
    Visibility,
    utcnow,
)
from tests.conftest import test_settings as settings_for
from tests.support.people import sign_in

DEMO_SOURCES = Path(__file__).resolve().parents[2] / "network" / "demo"
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
ADMIN_LINE = re.compile(r"^\s+admin\s+(\S+@\S+)\s+(\S+)$", re.MULTILINE)
MEMBERS_LINE = re.compile(r"^\s+every other demo member \((\d+)\)\s+(\S+)$", re.MULTILINE)


def printed_passwords(output: str) -> tuple[str, str, str]:
    """(admin email, admin password, everyone else's password) as the command printed them."""
    admin, members = ADMIN_LINE.search(output), MEMBERS_LINE.search(output)
    assert admin and members, output
    return admin.group(1), admin.group(2), members.group(2)


def can_sign_in(app: Flask, login: str, password: str) -> bool:
    browser = app.test_client()
    return (
        sign_in(browser, login, password).status_code == 302
        and browser.get("/settings").status_code == 200
    )


def test_the_demo_is_made_once_and_each_account_opens_only_with_what_was_printed(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    admin_email, admin_password, member_password = printed_passwords(first.output)

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "exists already" in again.output
    assert "set-password" in again.output
    assert admin_password not in again.output and member_password not in again.output

    sources = "".join(path.read_text(encoding="utf-8") for path in DEMO_SOURCES.glob("*.py"))
    assert admin_password != member_password
    assert admin_password not in sources and member_password not in sources

    with app.app_context():
        people = [(m.email, m.role) for m in db.session.scalars(select(Member))]
    assert len(people) == 30
    for email, role in people:
        password = admin_password if email == admin_email else member_password
        assert can_sign_in(app, email, password), email
        assert (role == Role.admin) == (email == admin_email)
    assert not can_sign_in(app, admin_email, member_password)


@pytest.mark.both_databases
def test_the_demo_has_what_it_promises(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0

    with app.app_context():
        check_the_community(db.session)


def check_the_community(session) -> None:
    posts = list(session.scalars(select(Post)))
    assert len(posts) == 100
    russian = [post for post in posts if CYRILLIC.search(post.body)]
    assert 40 <= len(russian) <= 60  # roughly half each, the bilingual announcement either way
    assert {post.visibility for post in posts} == {Visibility.public, Visibility.members}

    pinned = [post for post in posts if post.pinned_until and post.pinned_until > utcnow()]
    assert len(pinned) == 1 and pinned[0].is_announcement
    assert pinned[0].visibility == Visibility.public

    roles = dict(session.execute(select(Member.role, func.count()).group_by(Member.role)).all())
    assert roles[Role.admin] == 1 and roles[Role.moderator] == 1
    assert roles[Role.employee] >= 3 and roles[Role.customer] >= 15
    assert session.scalar(select(func.count()).select_from(Profile).where(Profile.bio != "")) == 30
    assert session.scalar(select(func.count()).select_from(Follow)) >= 150

    comments = list(session.scalars(select(Comment)))
    assert len(comments) >= 150
    assert any('href="/u/' in comment.body_html for comment in comments)  # @mentions link
    staff = set(session.scalars(select(Member.id).where(Member.role == Role.employee)))
    assert sum(comment.author_id in staff for comment in comments) >= 40

    # A timeline over weeks, every comment after its post, comments in seq order
    now = utcnow()
    assert min(post.created_at for post in posts) < now - timedelta(weeks=4)
    assert max(post.created_at for post in posts) <= now
    posted = {post.id: post.created_at for post in posts}
    for comment in comments:
        assert posted[comment.post_id] < comment.created_at <= now
    for post in posts:
        times = [
            c.created_at for c in sorted(comments, key=lambda c: c.seq) if c.post_id == post.id
        ]
        assert times == sorted(times)
        assert post.comment_count == post.last_seq == len(times)

    # Two customer stories, published with their customers' consent (one public, one members')
    from network.models import CaseStudy, CaseStudyConsent

    published = session.scalars(
        select(CaseStudyConsent).join(
            CaseStudy, CaseStudy.published_consent_id == CaseStudyConsent.id
        )
    ).all()
    assert sorted(c.audience.value for c in published) == ["members", "public"]
    assert {c.name_scope.value for c in published} == {"full", "initial"}


def test_it_refuses_an_unmigrated_database_and_says_how_to_migrate(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    empty = create_app(settings_for(instance, f"sqlite:///{instance / 'empty.sqlite'}"))

    result = empty.test_cli_runner().invoke(args=["seed-demo"])

    assert result.exit_code == 1
    assert "db upgrade" in result.output
    with empty.app_context():
        db.engine.dispose()


def test_it_refuses_to_mix_with_members_who_have_demo_handles(app, runner, member_factory):
    member_factory(handle="jake_miller")

    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 1
    assert "@jake_miller" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Member.id))) == 1
