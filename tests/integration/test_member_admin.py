"""Who may change a member's role and status, and what the change does to their sessions.

SEC-07: a role change, suspension or deactivation ends every session of the member.
"""

from __future__ import annotations

import pytest
from flask import Flask

from network.accounts import members
from network.exceptions import Conflict, Forbidden
from network.extensions import db
from network.models import Member, MemberStatus, Role
from tests.support.people import sign_in


def change_role(app: Flask, actor: Member, member: Member, role: Role) -> None:
    with app.app_context():
        members.set_role(db.session.get(Member, actor.id), member.id, role)


def change_status(app: Flask, actor: Member, member: Member, status: MemberStatus) -> None:
    with app.app_context():
        members.set_status(db.session.get(Member, actor.id), member.id, status)


def reload(app: Flask, member: Member) -> Member:
    with app.app_context():
        stored = db.session.get(Member, member.id)
        db.session.expunge(stored)
        return stored


def is_signed_in(browser) -> bool:
    return browser.get("/settings").status_code == 200


# Roles -----------------------------------------------------------------------------------------


def test_an_admin_makes_a_customer_a_moderator_and_her_old_sessions_end(
    app, admin, customer, as_member
):
    carlas_phone = as_member(customer)
    assert is_signed_in(carlas_phone)
    version_before = reload(app, customer).session_version

    change_role(app, admin, customer, Role.moderator)

    carla = reload(app, customer)
    assert carla.role == Role.moderator
    assert carla.session_version > version_before
    assert carlas_phone.get("/settings").status_code == 302
    assert is_signed_in(as_member(customer))


@pytest.mark.parametrize("actor_role", [Role.customer, Role.employee, Role.moderator])
def test_only_admins_change_roles(app, member_factory, customer, actor_role):
    actor = member_factory(role=actor_role)

    with pytest.raises(Forbidden):
        change_role(app, actor, customer, Role.moderator)

    assert reload(app, customer).role == Role.customer


def test_a_suspended_admin_changes_no_roles(app, admin, member_factory, customer):
    suspended_admin = member_factory(role=Role.admin, status=MemberStatus.suspended)

    with pytest.raises(Forbidden):
        change_role(app, suspended_admin, customer, Role.admin)

    assert reload(app, customer).role == Role.customer


# The last active admin -------------------------------------------------------------------------


def test_the_last_active_admin_cannot_be_demoted_or_suspended(app, admin):
    with pytest.raises(Conflict):
        change_role(app, admin, admin, Role.moderator)
    with pytest.raises(Conflict):
        change_status(app, admin, admin, MemberStatus.suspended)
    with pytest.raises(Conflict):
        change_status(app, admin, admin, MemberStatus.deactivated)

    adam = reload(app, admin)
    assert (adam.role, adam.status) == (Role.admin, MemberStatus.active)


def test_a_suspended_admin_does_not_count_as_a_second_one(app, admin, member_factory):
    member_factory(role=Role.admin, handle="ada", status=MemberStatus.suspended)

    with pytest.raises(Conflict):
        change_role(app, admin, admin, Role.customer)

    assert reload(app, admin).role == Role.admin


def test_once_a_second_admin_is_active_the_first_may_step_down(app, admin, member_factory):
    ada = member_factory(role=Role.admin, handle="ada")

    change_role(app, admin, admin, Role.moderator)

    assert reload(app, admin).role == Role.moderator
    # Now Ada is the last one.
    with pytest.raises(Conflict):
        change_status(app, ada, ada, MemberStatus.suspended)


def test_with_two_active_admins_one_may_suspend_the_other(app, admin, member_factory):
    ada = member_factory(role=Role.admin, handle="ada")

    change_status(app, ada, admin, MemberStatus.suspended)

    assert reload(app, admin).status == MemberStatus.suspended


# Moderators ------------------------------------------------------------------------------------


@pytest.mark.parametrize("target_role", [Role.customer, Role.employee])
def test_a_moderator_suspends_and_reactivates_ordinary_members(
    app, moderator, member_factory, target_role
):
    target = member_factory(role=target_role)

    change_status(app, moderator, target, MemberStatus.suspended)
    assert reload(app, target).status == MemberStatus.suspended

    change_status(app, moderator, target, MemberStatus.active)
    assert reload(app, target).status == MemberStatus.active


@pytest.mark.parametrize("target_role", [Role.moderator, Role.admin])
def test_a_moderator_cannot_suspend_staff_who_moderate(
    app, admin, moderator, member_factory, target_role
):
    target = admin if target_role == Role.admin else member_factory(role=Role.moderator)

    with pytest.raises(Forbidden):
        change_status(app, moderator, target, MemberStatus.suspended)

    assert reload(app, target).status == MemberStatus.active


def test_a_moderator_cannot_deactivate_a_customer(app, moderator, customer):
    with pytest.raises(Forbidden):
        change_status(app, moderator, customer, MemberStatus.deactivated)

    assert reload(app, customer).status == MemberStatus.active


@pytest.mark.parametrize("actor_role", [Role.customer, Role.employee])
def test_members_without_moderation_rights_suspend_nobody(
    app, member_factory, intruder, actor_role
):
    actor = member_factory(role=actor_role)

    with pytest.raises(Forbidden):
        change_status(app, actor, intruder, MemberStatus.suspended)

    assert reload(app, intruder).status == MemberStatus.active


# Signing in after a status change --------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "label"),
    [(MemberStatus.suspended, "suspended"), (MemberStatus.deactivated, "deactivated")],
)
def test_a_suspended_or_deactivated_member_cannot_sign_in(app, admin, customer, status, label):
    change_status(app, admin, customer, status)
    browser = app.test_client()

    answer = sign_in(browser, customer.email)

    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "This account cannot sign in" in page
    assert label in page
    assert not is_signed_in(browser)


def test_suspension_ends_the_browser_session_the_member_already_had(
    app, moderator, customer, as_member
):
    carlas_laptop = as_member(customer, remember=True)
    assert is_signed_in(carlas_laptop)

    change_status(app, moderator, customer, MemberStatus.suspended)

    assert carlas_laptop.get("/settings").status_code == 302
    assert not is_signed_in(carlas_laptop)


def test_a_reactivated_member_signs_in_again(app, moderator, customer):
    change_status(app, moderator, customer, MemberStatus.suspended)
    assert sign_in(app.test_client(), customer.email).status_code == 422

    change_status(app, moderator, customer, MemberStatus.active)

    browser = app.test_client()
    assert sign_in(browser, customer.email).status_code == 302
    assert is_signed_in(browser)
