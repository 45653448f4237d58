"""A member's time zone: an IANA name, the community's default until chosen (issue 20, item 3)."""

from __future__ import annotations

import pytest

from network.extensions import db
from network.models import Member
from tests.support.api_client import api_fixture  # noqa: F401 (the `api` fixture)
from tests.support.pages import csrf_token


def zone_of(app, member) -> str | None:
    with app.app_context():
        return db.session.get(Member, member.id).time_zone


def save_zone(browser, name: str, language: str = "en"):
    headers = {"Accept-Language": language}
    page = browser.get("/settings", headers=headers).get_data(as_text=True)
    return browser.post(
        "/settings/time-zone",
        data={"time_zone": name, "csrf_token": csrf_token(page)},
        headers=headers,
    )


def test_the_settings_page_offers_every_zone_and_saves_one(app, customer, as_member):
    browser = as_member(customer)
    page = browser.get("/settings").get_data(as_text=True)
    assert '<option value="UTC" selected>' in page and '<option value="Asia/Tokyo">' in page
    assert '<label for="time_zone">Time zone</label>' in page
    assert save_zone(browser, "Asia/Tokyo").status_code == 302
    assert zone_of(app, customer) == "Asia/Tokyo"
    page = browser.get("/settings").get_data(as_text=True)
    assert '<option value="Asia/Tokyo" selected>' in page
    assert "Your time zone is saved." in page


def test_an_unknown_zone_is_refused_in_both_languages(app, customer, as_member):
    browser = as_member(customer)
    refused = save_zone(browser, "Mars/Olympus_Mons")
    assert refused.status_code == 422
    assert "Choose a time zone from the list" in refused.get_data(as_text=True)
    russian = save_zone(browser, "Europe/Atlantis", language="ru")
    assert russian.status_code == 422
    assert "Выберите часовой пояс из списка" in russian.get_data(as_text=True)
    assert zone_of(app, customer) is None
    assert browser.post("/settings/time-zone", data={"time_zone": "UTC"}).status_code == 400


def test_the_api_shows_and_changes_it(app, api, customer):
    carla = api(customer)
    assert carla.get("/api/v1/me").json["time_zone"] == "UTC"
    changed = carla.patch("/api/v1/me", json={"time_zone": "America/New_York"})
    assert changed.status_code == 200 and changed.json["time_zone"] == "America/New_York"
    assert zone_of(app, customer) == "America/New_York"
    refused = carla.patch("/api/v1/me", json={"time_zone": "Nowhere/Special"})
    assert refused.status_code == 422 and refused.json["error"]["field"] == "time_zone"
    assert carla.patch("/api/v1/me", json={"time_zone": 7}).status_code == 422


class TestACommunityInBerlin:
    @pytest.fixture
    def app_settings(self):
        return {"DEFAULT_TIME_ZONE": "Europe/Berlin"}

    def test_its_default_applies_until_a_member_chooses(self, api, customer, as_member):
        assert api(customer).get("/api/v1/me").json["time_zone"] == "Europe/Berlin"
        page = as_member(customer).get("/settings").get_data(as_text=True)
        assert '<option value="Europe/Berlin" selected>' in page


def test_the_default_setting_is_checked(monkeypatch):
    from network.config import SETTINGS_BY_ENV, ConfigError

    parse = SETTINGS_BY_ENV["NETWORK_DEFAULT_TIME_ZONE"].parse
    assert parse(" Asia/Tokyo ") == "Asia/Tokyo"
    with pytest.raises(ConfigError):
        parse("Mars/Base")
    hour = SETTINGS_BY_ENV["NETWORK_DIGEST_HOUR"].parse
    assert hour("7") == 7
    with pytest.raises(ConfigError):
        hour("24")
