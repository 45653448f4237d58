"""Following: follow and unfollow from the profile page, counts, and keyset-paged lists."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from network.database import write_transaction
from network.extensions import db
from network.models import Follow, Member, MemberStatus, Profile, ProfileVisibility, utcnow
from network.profiles import follows
from tests.support.pages import csrf_token


def press(browser, handle: str, action: str = "follow"):
    """Press the Follow (or Unfollow) button on a profile page, as a person would."""
    token = csrf_token(browser.get(f"/u/{handle}").get_data(as_text=True))
    return browser.post(f"/u/{handle}/{action}", data={"csrf_token": token})


def follow_rows(app) -> set[tuple[int, int]]:
    with app.app_context():
        return {(f.follower_id, f.followee_id) for f in db.session.scalars(select(Follow))}


def handles_on(page: str) -> list[str]:
    return re.findall(r'class="member-row-name" href="/u/([a-z0-9_]+)"', page)


def add_followers(app, member_factory, followee, count: int, *, prefix: str = "fan") -> list[str]:
    """`count` members who followed `followee` one minute apart (the first is the oldest)."""
    fans = [member_factory(handle=f"{prefix}_{number:03d}") for number in range(count)]
    start = utcnow() - timedelta(days=1)
    with app.app_context(), write_transaction() as session:
        for number, fan in enumerate(fans):
            session.add(
                Follow(
                    follower_id=fan.id,
                    followee_id=followee.id,
                    created_at=start + timedelta(minutes=number),
                )
            )
    return [fan.handle for fan in fans]


def encode_values(*values) -> str:
    raw = json.dumps(list(values)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_following_and_unfollowing_from_the_profile_page(app, customer, employee, as_member):
    emma = as_member(employee)
    response = press(emma, "carla")
    assert response.status_code == 302 and response.headers["Location"] == "/u/carla"
    assert follow_rows(app) == {(employee.id, customer.id)}
    page = emma.get("/u/carla").get_data(as_text=True)
    assert "1 follower" in page and 'action="/u/carla/unfollow"' in page
    assert "1 following" in emma.get("/u/emma").get_data(as_text=True)

    assert press(emma, "carla", "unfollow").status_code == 302
    assert follow_rows(app) == set()
    page = emma.get("/u/carla").get_data(as_text=True)
    assert "0 followers" in page and 'action="/u/carla/follow"' in page


@pytest.mark.both_databases
def test_following_twice_or_unfollowing_twice_is_harmless(app, customer, employee, as_member):
    emma = as_member(employee)
    assert press(emma, "carla").status_code == 302
    assert press(emma, "carla").status_code == 302
    assert follow_rows(app) == {(employee.id, customer.id)}
    assert press(emma, "carla", "unfollow").status_code == 302
    assert press(emma, "carla", "unfollow").status_code == 302
    assert follow_rows(app) == set()


def test_nobody_follows_themselves(app, customer, as_member):
    response = press(as_member(customer), "carla")
    assert response.status_code == 422
    assert "You cannot follow yourself." in response.get_data(as_text=True)
    assert follow_rows(app) == set()


def test_visitors_and_forged_requests_change_nothing(app, client, customer, employee, as_member):
    token = csrf_token(client.get("/u/carla").get_data(as_text=True))
    assert client.post("/u/carla/follow", data={"csrf_token": token}).status_code == 401
    assert as_member(employee).post("/u/carla/follow").status_code == 400  # no CSRF token
    assert follow_rows(app) == set()


def test_unknown_and_inactive_members_cannot_be_followed(app, member_factory, employee, as_member):
    member_factory(handle="sam", status=MemberStatus.suspended)
    emma = as_member(employee)
    token = csrf_token(emma.get("/", follow_redirects=True).get_data(as_text=True))
    for handle in ("sam", "nobody"):
        assert emma.post(f"/u/{handle}/follow", data={"csrf_token": token}).status_code == 404
    assert follow_rows(app) == set()


def test_suspended_members_cannot_follow(app, customer, member_factory, as_member, ctx):
    waiting = member_factory(status=MemberStatus.pending)
    assert press(as_member(waiting), "carla").status_code == 403
    assert follow_rows(app) == set()


def test_lists_come_in_keyset_pages_newest_first(app, client, customer, member_factory):
    fans = add_followers(app, member_factory, customer, follows.PAGE_SIZE + 5)
    first = client.get("/u/carla/followers").get_data(as_text=True)
    assert handles_on(first) == fans[::-1][: follows.PAGE_SIZE]
    assert f"{follows.PAGE_SIZE + 5} followers" in client.get("/u/carla").get_data(as_text=True)
    next_link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "offset" not in next_link and "cursor=" in next_link
    second = client.get(next_link).get_data(as_text=True)
    assert handles_on(second) == fans[::-1][follows.PAGE_SIZE :]
    assert 'rel="next"' not in second

    following = client.get(f"/u/{fans[0]}/following").get_data(as_text=True)
    assert handles_on(following) == ["carla"]


@pytest.mark.both_databases
def test_followers_who_followed_in_the_same_instant_are_neither_lost_nor_repeated(
    app, client, customer, member_factory
):
    fans = [member_factory(handle=f"twin_{n:02d}") for n in range(follows.PAGE_SIZE + 3)]
    moment = utcnow()
    with app.app_context(), write_transaction() as session:
        for fan in fans:
            session.add(Follow(follower_id=fan.id, followee_id=customer.id, created_at=moment))
    first = client.get("/u/carla/followers").get_data(as_text=True)
    link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    seen = handles_on(first) + handles_on(client.get(link).get_data(as_text=True))
    assert sorted(seen) == sorted(fan.handle for fan in fans)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "e30",
        encode_values("not-a-date", 1),
        encode_values("2026-01-01T00:00:00", 1),  # no time zone
        encode_values("2026-01-01T00:00:00+00:00", True),
        encode_values("2026-01-01T00:00:00+00:00"),
        "A" * 500,
    ],
)
def test_a_cursor_we_did_not_make_is_400(client, customer, cursor):
    assert client.get(f"/u/carla/followers?cursor={cursor}").status_code == 400


@pytest.mark.both_databases
def test_lists_and_counts_hide_members_only_followers_from_visitors(
    app, client, customer, member_factory, as_member, employee
):
    add_followers(app, member_factory, customer, 2, prefix="open")
    (shy,) = add_followers(app, member_factory, customer, 1, prefix="shy")
    with app.app_context(), write_transaction() as session:
        shy_id = session.scalar(select(Member.id).where(Member.handle == shy))
        session.add(Profile(member_id=shy_id, visibility=ProfileVisibility.members))

    visitor_page = client.get("/u/carla/followers").get_data(as_text=True)
    assert handles_on(visitor_page) == ["open_001", "open_000"]
    assert "2 followers" in client.get("/u/carla").get_data(as_text=True)
    assert client.get(f"/u/{shy}/following").status_code == 404

    emma = as_member(employee)
    assert shy in handles_on(emma.get("/u/carla/followers").get_data(as_text=True))
    assert "3 followers" in emma.get("/u/carla").get_data(as_text=True)


def test_an_empty_list_says_so(client, customer):
    assert "Nobody follows Carla Customer yet." in client.get("/u/carla/followers").get_data(
        as_text=True
    )
    assert "does not follow anyone yet" in client.get("/u/carla/following").get_data(as_text=True)


@pytest.mark.both_databases
def test_a_followers_page_costs_the_same_whatever_the_number_of_followers(
    app, customer, employee, member_factory, as_member, count_queries
):
    emma = as_member(employee)

    def cost() -> tuple[int, int]:
        with count_queries() as page:
            assert emma.get("/u/carla/followers").status_code == 200
        with count_queries() as profile:
            assert emma.get("/u/carla").status_code == 200
        return page.count, profile.count

    add_followers(app, member_factory, customer, 2, prefix="few")
    few = cost()
    add_followers(app, member_factory, customer, follows.PAGE_SIZE, prefix="many")
    assert cost() == few
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Follow)) == 32
