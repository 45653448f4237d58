"""The member directory: search, staff filter, keyset pages, visibility, a fixed cost per page."""

from __future__ import annotations

import base64
import json
import re

import pytest

from network.database import write_transaction
from network.models import MemberStatus, Profile, ProfileVisibility, Role
from network.profiles import directory
from tests.support.pages import unlabelled_controls


def encode_json(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def handles_on(page: str) -> list[str]:
    return re.findall(r'class="member-row-name" href="/u/([a-z0-9_]+)"', page)


def listed(browser, query: str = "") -> list[str]:
    response = browser.get(f"/members{query}")
    assert response.status_code == 200, response.status_code
    return handles_on(response.get_data(as_text=True))


def give_profile(app, member, **values) -> None:
    with app.app_context(), write_transaction() as session:
        session.add(Profile(member_id=member.id, **values))


@pytest.fixture
def cast(app, member_factory):
    """A small community with names, companies and roles worth searching for."""
    people = {
        "anna": member_factory(handle="anna_p", display_name="Anna Petrova"),
        "boris": member_factory(handle="boris", display_name="Boris Ivanov", role=Role.employee),
        "chen": member_factory(handle="chen", display_name="Chen Wu", role=Role.admin),
        "dora": member_factory(handle="dora", display_name="Dora 100% Real"),
        "eli": member_factory(handle="eli", display_name="Eli Moderator", role=Role.moderator),
    }
    give_profile(app, people["anna"], company="Acme Widgets", title="Buyer")
    give_profile(app, people["boris"], company="Globex", title="Support lead")
    return people


def test_the_directory_lists_members_with_their_details(client, cast):
    response = client.get("/members")
    page = response.get_data(as_text=True)
    assert handles_on(page) == ["anna_p", "boris", "chen", "dora", "eli"]
    row = page.split('href="/u/boris"', 1)[1].split("</li>", 1)[0]
    assert "Boris Ivanov" in row and "@boris" in row
    assert "Support lead · Globex" in row and 'class="badge badge-staff"' in row
    assert "/static/img/avatar-default.svg" in page
    assert unlabelled_controls(page) == []


@pytest.mark.both_databases
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=anna", ["anna_p"]),  # name
        ("?q=PETROVA", ["anna_p"]),  # name, any case
        ("?q=anna_", ["anna_p"]),  # handle; the _ is literal
        ("?q=acme", ["anna_p"]),  # company
        ("?q=globex", ["boris"]),
        ("?q=o", ["anna_p", "boris", "dora", "eli"]),  # Petrova, Boris, Dora, Moderator
        ("?q=100%25", ["dora"]),  # a literal %
        ("?q=%25", ["dora"]),  # % alone matches only a real %
        ("?q=_", ["anna_p"]),  # _ alone matches only a real _
        ("?q=nobody+here", []),
        ("?staff=1", ["boris", "chen"]),
        ("?staff=1&q=chen", ["chen"]),
        ("?staff=1&q=anna", []),
    ],
)
def test_search_and_the_staff_filter(client, cast, query, expected):
    assert listed(client, query) == expected


def test_a_search_with_no_result_says_so(client, cast):
    page = client.get("/members?q=zzz").get_data(as_text=True)
    assert "Nobody matches your search." in page
    assert 'value="zzz"' in page


def test_an_empty_community_says_so(client):
    assert "No members to show yet." in client.get("/members").get_data(as_text=True)


def test_an_over_long_search_is_422_with_the_text_kept(client, cast):
    response = client.get("/members?q=" + "x" * 101)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "at most 100" in page and "x" * 101 in page


@pytest.mark.both_databases
def test_visitors_see_public_profiles_and_members_see_all_active_ones(
    app, client, cast, member_factory, as_member, employee
):
    give_profile(app, cast["dora"], visibility=ProfileVisibility.members)
    member_factory(handle="gone", status=MemberStatus.suspended)
    member_factory(handle="waiting", status=MemberStatus.pending)
    member_factory(handle="left", status=MemberStatus.deactivated)
    assert listed(client) == ["anna_p", "boris", "chen", "eli", "emma"]
    assert listed(as_member(employee)) == ["anna_p", "boris", "chen", "dora", "eli", "emma"]


def test_pages_follow_each_other_without_offset(app, client, member_factory):
    handles = [member_factory(handle=f"m_{n:03d}").handle for n in range(directory.PAGE_SIZE + 4)]
    first = client.get("/members?q=m_").get_data(as_text=True)
    assert handles_on(first) == handles[: directory.PAGE_SIZE]
    link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "q=m_" in link and "cursor=" in link and "offset" not in link
    second = client.get(link).get_data(as_text=True)
    assert handles_on(second) == handles[directory.PAGE_SIZE :]
    assert 'rel="next"' not in second and "First page" in second


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        "bm90IGpzb24",  # "not json"
        encode_json(42),
        encode_json({"after": 42}),
        encode_json({"after": "Robert'); DROP TABLE member;--"}),
        "A" * 500,
    ],
)
def test_a_cursor_we_did_not_make_is_400(client, cast, cursor):
    assert client.get(f"/members?cursor={cursor}").status_code == 400


@pytest.mark.both_databases
def test_a_directory_page_costs_the_same_whatever_the_number_of_members(
    app, member_factory, employee, as_member, count_queries
):
    browser = as_member(employee)

    def cost(query: str = "") -> int:
        with count_queries() as counted:
            assert browser.get(f"/members{query}").status_code == 200
        return counted.count

    for number in range(3):
        give_profile(app, member_factory(handle=f"few_{number}"), company="Acme")
    few, few_search = cost(), cost("?q=acme&staff=")
    for number in range(directory.PAGE_SIZE + 5):
        give_profile(app, member_factory(handle=f"many_{number:03d}"), company="Acme")
    assert cost() == few
    assert cost("?q=acme&staff=") == few_search
