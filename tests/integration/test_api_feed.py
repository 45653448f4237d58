"""The JSON API's lists of posts: /feed and /public, keyset pages with opaque cursors (issue 7)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from network.models import Visibility
from tests.support.api_client import api_fixture  # noqa: F401 (the `api` fixture)
from tests.support.content import follow, make_post

# Run on SQLite and again on PostgreSQL (NUL bytes, 32-bit ids and locks differ there).
pytestmark = pytest.mark.both_databases


def test_public_lists_public_visible_posts_newest_first_in_pages(app, api, customer):
    for number in range(5):
        make_post(app, customer, f"public {number}")
    make_post(app, customer, "members only", visibility=Visibility.members.value)
    anonymous = api()

    first = anonymous.get("/api/v1/public?limit=2").json
    second = anonymous.get(f"/api/v1/public?limit=2&cursor={first['next_cursor']}").json
    third = anonymous.get(f"/api/v1/public?limit=2&cursor={second['next_cursor']}").json

    bodies = [post["body"] for page in (first, second, third) for post in page["items"]]
    assert bodies == [f"public {n}" for n in (4, 3, 2, 1, 0)]
    assert third["next_cursor"] is None


def test_the_home_feed_holds_own_and_followed_posts_and_announcements_first(
    app, api, customer, intruder, employee
):
    make_post(app, customer, "my own")
    make_post(app, intruder, "followed")
    make_post(app, employee, "a stranger's post")
    make_post(app, employee, "announcement", pinned_until=date.today() + timedelta(days=3))
    follow(app, customer, intruder)

    page = api(customer).get("/api/v1/feed").json

    assert [post["body"] for post in page["pinned"]] == ["announcement"]
    assert [post["body"] for post in page["items"]] == ["followed", "my own"]
    assert page["next_cursor"] is None


def test_the_feed_needs_a_token(api):
    assert api().get("/api/v1/feed").status_code == 401


def test_a_cursor_we_did_not_make_is_400(app, api, customer):
    carla = api(customer)
    for cursor in ("garbage", "eyJhIjoxfQ", "x" * 300, "WyIyMDI2IiwgMV0"):
        for path in ("/api/v1/public", "/api/v1/feed"):
            answer = carla.get(f"{path}?cursor={cursor}")
            assert answer.status_code == 400, (path, cursor)
            assert answer.json["error"]["code"] == "bad_cursor"


def test_limit_is_bounded(api, customer):
    carla = api(customer)
    for limit in ("0", "201", "-1", "ten", "1.5"):
        assert carla.get(f"/api/v1/public?limit={limit}").status_code == 400
    assert carla.get("/api/v1/public?limit=200").status_code == 200


def test_a_page_costs_a_fixed_number_of_queries(app, api, customer, intruder, count_queries):
    carla = api(customer)
    make_post(app, intruder, "warm-up")
    follow(app, customer, intruder)
    carla.get("/api/v1/feed")
    with count_queries() as few:
        carla.get("/api/v1/feed")
    for number in range(15):
        make_post(app, intruder if number % 2 else customer, f"post {number}")
    with count_queries() as many:
        carla.get("/api/v1/feed")
    assert many.count == few.count
