"""The JSON API's people: /me, profiles, follow and unfollow (issue 7; SEC-11, SEC-12)."""

from __future__ import annotations

import pytest

from network.extensions import db
from network.models import Member
from network.profiles import service as profiles
from tests.support.api_client import api_fixture  # noqa: F401 (the `api` fixture)
from tests.support.content import follow

# Run on SQLite and again on PostgreSQL (NUL bytes, 32-bit ids and locks differ there).
pytestmark = pytest.mark.both_databases


def make_profile_members_only(app, member: Member) -> None:
    with app.app_context():
        changes = profiles.ProfileChanges(display_name=member.display_name, visibility="members")
        profiles.update_profile(db.session.get(Member, member.id), changes, 0)


def test_me_is_the_token_owner_with_their_private_settings(api, customer):
    me = api(customer).get("/api/v1/me")

    assert me.status_code == 200
    assert me.json["handle"] == "carla"
    assert me.json["email"] == "carla@example.com"
    assert me.json["version"] == 0
    assert me.json["followers"] == 0 and me.json["visibility"] == "public"


def test_patch_me_changes_only_the_fields_sent(api, customer):
    carla = api(customer)

    first = carla.patch("/api/v1/me", json={"title": "Head of Ops", "bio": "I *like* tea"})
    second = carla.patch("/api/v1/me", json={"company": "Acme", "language": "ru"})

    assert first.status_code == 200, first.json
    assert first.json["bio_html"].strip() == "<p>I <em>like</em> tea</p>"
    assert second.json["title"] == "Head of Ops"
    assert second.json["company"] == "Acme"
    assert second.json["language"] == "ru"
    assert second.json["version"] == 2
    assert second.json["display_name"] == "Carla Customer"


def test_patch_me_clears_with_null_and_renames(api, customer):
    carla = api(customer)
    carla.patch("/api/v1/me", json={"title": "Temp"})

    changed = carla.patch("/api/v1/me", json={"title": None, "display_name": "  Carla   C.  "})

    assert changed.json["title"] is None
    assert changed.json["display_name"] == "Carla C."


def test_patch_me_with_a_stale_version_is_409_with_what_is_saved(api, customer):
    carla = api(customer)
    carla.patch("/api/v1/me", json={"title": "Saved elsewhere"})

    stale = carla.patch("/api/v1/me", json={"version": 0, "title": "Mine"})
    stale_setting = carla.patch("/api/v1/me", json={"version": 0, "language": "ru"})

    assert stale.status_code == 409
    assert stale.json["error"]["current"]["title"] == "Saved elsewhere"
    assert stale_setting.status_code == 409
    fresh = carla.patch("/api/v1/me", json={"version": 1, "title": "Mine"})
    assert fresh.status_code == 200 and fresh.json["version"] == 2


@pytest.mark.parametrize(
    "changes",
    [
        {"role": "admin"},
        {"status": "active"},
        {"email": "new@example.com"},
        {"handle": "someone_else"},
        {"display_name": ""},
        {"display_name": None},
        {"display_name": "x" * 81},
        {"display_name": "bad\u200bname"},
        {"title": "x" * 101},
        {"title": 7},
        {"bio": "x" * 4001},
        {"language": "xx"},
        {"version": -1},
        {"version": True},
    ],
)
def test_patch_me_refuses_unknown_forbidden_and_invalid_fields_with_422(api, customer, changes):
    carla = api(customer)

    refused = carla.patch("/api/v1/me", json=changes)

    assert refused.status_code == 422, refused.json
    me = carla.get("/api/v1/me").json
    assert me["role"] == "customer" and me["handle"] == "carla" and me["version"] == 0


def test_a_public_profile_is_readable_by_anyone(app, api, customer, intruder):
    follow(app, intruder, customer)

    profile = api().get("/api/v1/users/carla")

    assert profile.status_code == 200
    assert profile.json["followers"] == 1
    assert profile.json["you_follow"] is False
    assert "email" not in profile.json and "phone" not in profile.json
    assert api(intruder).get("/api/v1/users/CARLA").json["you_follow"] is True


def test_a_members_only_profile_is_404_to_anonymous_callers(app, api, customer, intruder):
    make_profile_members_only(app, customer)

    assert api().get("/api/v1/users/carla").status_code == 404
    assert api(intruder).get("/api/v1/users/carla").status_code == 200


def test_unknown_handles_are_404(api, customer):
    carla = api(customer)
    for handle in ("nobody_here", "x", "a" * 200, "bad-handle"):
        assert carla.get(f"/api/v1/users/{handle}").status_code == 404
        assert carla.post(f"/api/v1/users/{handle}/follow").status_code == 404


def test_following_and_unfollowing_are_idempotent(api, customer, intruder):
    ivan = api(intruder)

    assert ivan.post("/api/v1/users/carla/follow").status_code == 204
    assert ivan.post("/api/v1/users/carla/follow").status_code == 204
    assert api().get("/api/v1/users/carla").json["followers"] == 1
    assert ivan.delete("/api/v1/users/carla/follow").status_code == 204
    assert ivan.delete("/api/v1/users/carla/follow").status_code == 204
    assert api().get("/api/v1/users/carla").json["followers"] == 0


def test_follow_accepts_a_well_formed_idempotency_key_and_refuses_a_bad_one(
    api, customer, intruder
):
    ivan = api(intruder)
    key = {"Idempotency-Key": "follow-key-1"}

    assert ivan.post("/api/v1/users/carla/follow", headers=key).status_code == 204
    assert ivan.post("/api/v1/users/carla/follow", headers=key).status_code == 204
    assert (
        ivan.post("/api/v1/users/carla/follow", headers={"Idempotency-Key": "!"}).status_code == 422
    )


def test_following_yourself_is_422(api, customer):
    refused = api(customer).post("/api/v1/users/carla/follow")
    assert refused.status_code == 422


def test_follow_needs_a_token(api, customer):
    answer = api().post("/api/v1/users/carla/follow")
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
