"""The role x permission table: what can() answers, and docs/permissions.md saying the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_login import AnonymousUserMixin

from network.models import Member, MemberStatus, Role
from network.permissions import MEANING, TABLE, Permission, can

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
ROLE_COLUMNS = [Role.customer, Role.employee, Role.moderator, Role.admin]
NOT_ACTIVE = [status for status in MemberStatus if status != MemberStatus.active]


def person(role: Role, status: MemberStatus = MemberStatus.active) -> Member:
    return Member(handle=f"{role.value}_{status.value}", role=role, status=status)


def doc_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def doc_row(permission: Permission) -> list[str]:
    rows = [
        line
        for line in DOC.read_text(encoding="utf-8").splitlines()
        if line.startswith(f"| `{permission.value}`")
    ]
    assert len(rows) == 1, f"docs/permissions.md needs exactly one row for {permission.value}"
    return doc_cells(rows[0])


# The table itself ------------------------------------------------------------------------------


def test_every_role_has_a_row_and_every_permission_a_meaning():
    assert set(TABLE) == set(Role)
    assert set(MEANING) == set(Permission)
    assert all(MEANING[permission].strip() for permission in Permission)


def test_the_roles_grow_as_expected():
    everyone = {Permission.read_members_only, Permission.write}
    assert TABLE[Role.customer] == everyone
    assert TABLE[Role.employee] == everyone | {Permission.staff}
    assert TABLE[Role.moderator] == everyone | {Permission.moderate}
    assert TABLE[Role.admin] == set(Permission)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_an_active_member_holds_exactly_what_the_table_grants(role, permission):
    assert can(person(role), permission) is (permission in TABLE[role])


@pytest.mark.parametrize("status", NOT_ACTIVE)
@pytest.mark.parametrize("role", list(Role))
def test_a_member_who_is_not_active_holds_nothing(role, status):
    member = person(role, status)
    assert [p for p in Permission if can(member, p)] == []


@pytest.mark.parametrize("visitor", [None, AnonymousUserMixin()], ids=["none", "anonymous"])
def test_an_anonymous_visitor_holds_nothing(visitor):
    assert [p for p in Permission if can(visitor, p)] == []


# docs/permissions.md ---------------------------------------------------------------------------


def test_the_doc_table_has_the_role_columns_in_order():
    header = next(
        line
        for line in DOC.read_text(encoding="utf-8").splitlines()
        if line.startswith("| permission")
    )
    assert doc_cells(header) == ["permission", "meaning", *[role.value for role in ROLE_COLUMNS]]


def test_the_doc_table_has_one_row_per_permission_and_no_other():
    rows = [
        doc_cells(line)[0]
        for line in DOC.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    ]
    assert sorted(rows) == sorted(f"`{permission.value}`" for permission in Permission)


@pytest.mark.parametrize("permission", list(Permission))
def test_the_doc_row_gives_the_meaning_from_the_code(permission):
    assert doc_row(permission)[1] == MEANING[permission]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_the_doc_cell_says_yes_exactly_when_the_table_grants(role, permission):
    cell = doc_row(permission)[2 + ROLE_COLUMNS.index(role)]

    expected = "yes" if permission in TABLE[role] else "no"
    assert cell == expected, f"docs/permissions.md: {permission.value} for {role.value}"
