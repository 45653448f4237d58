"""Which mail a member gets, kind by kind, chosen on the settings page or through the API
(issue 20, item 2)."""

from __future__ import annotations

from sqlalchemy import select

from network.extensions import db
from network.mail import preferences
from network.models import MailPreference, Member
from tests.support.api_client import api_fixture  # noqa: F401 (the `api` fixture)
from tests.support.pages import csrf_token

DEFAULTS = {
    "staff_reply": "now",
    "comment_reply": "digest",
    "mention": "now",
    "consent_request": "now",
    "case_study_published": "now",
    "case_study_expiring": "now",
    "digest": "weekly",
}


def stored(app, member) -> dict[str, str]:
    with app.app_context():
        return preferences.modes_for(db.session.get(Member, member.id))


def save_mail(browser, data: dict[str, str], language: str = "en"):
    headers = {"Accept-Language": language}
    page = browser.get("/settings/mail", headers=headers).get_data(as_text=True)
    return browser.post(
        "/settings/mail", data={**data, "csrf_token": csrf_token(page)}, headers=headers
    )


def test_the_page_lists_every_optional_kind_with_its_modes(customer, as_member):
    page = as_member(customer).get("/settings/mail").get_data(as_text=True)
    for kind in DEFAULTS:
        assert f'<fieldset class="field choice-group" id="mail-{kind}">' in page
    assert page.count("<legend>") == len(DEFAULTS)
    assert 'name="staff_reply" value="now" checked' in page
    assert 'name="comment_reply" value="digest" checked' in page
    assert 'name="digest" value="weekly" checked' in page
    assert 'name="digest" value="daily"' in page and 'name="digest" value="digest"' not in page
    assert 'name="account"' not in page and 'name="invitation"' not in page
    assert "Staff answers to my posts and comments" in page


def test_the_page_saves_the_choices(app, customer, as_member):
    browser = as_member(customer)
    response = save_mail(browser, {"staff_reply": "digest", "mention": "never", "digest": "daily"})
    assert response.status_code == 302
    assert stored(app, customer) == {
        **DEFAULTS,
        "staff_reply": "digest",
        "mention": "never",
        "digest": "daily",
        "account": "now",
        "invitation": "now",
    }
    page = browser.get("/settings/mail").get_data(as_text=True)
    assert 'name="mention" value="never" checked' in page
    assert "Your mail choices are saved." in page
    # the default again removes the row
    save_mail(browser, {"staff_reply": "now", "mention": "now", "digest": "weekly"})
    with app.app_context():
        assert db.session.scalars(select(MailPreference)).all() == []


def test_the_page_speaks_russian(app, customer, as_member):
    browser = as_member(customer)
    page = browser.get("/settings/mail", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Ответы сотрудников на мои посты и комментарии" in page
    assert "В дайджесте" in page and "Еженедельно" in page
    response = save_mail(browser, {"comment_reply": "now"}, language="ru")
    assert response.status_code == 302
    assert stored(app, customer)["comment_reply"] == "now"
    after = browser.get("/settings/mail", headers={"Accept-Language": "ru"})
    assert "Настройки писем сохранены." in after.get_data(as_text=True)


def test_a_mode_the_kind_does_not_offer_is_refused_and_nothing_is_saved(app, customer, as_member):
    response = save_mail(as_member(customer), {"mention": "never", "digest": "digest"})
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)
    assert stored(app, customer)["mention"] == "now"  # all or nothing


def test_the_page_needs_the_csrf_token(app, customer, as_member):
    response = as_member(customer).post("/settings/mail", data={"mention": "never"})
    assert response.status_code == 400
    assert stored(app, customer)["mention"] == "now"


def test_the_api_reads_the_defaults(api, customer):
    answer = api(customer).get("/api/v1/me/mail-preferences")
    assert answer.status_code == 200
    assert answer.json == DEFAULTS


def test_the_api_changes_only_the_kinds_sent(app, api, customer):
    carla = api(customer)
    answer = carla.patch(
        "/api/v1/me/mail-preferences", json={"comment_reply": "now", "digest": "never"}
    )
    assert answer.status_code == 200
    assert answer.json == {**DEFAULTS, "comment_reply": "now", "digest": "never"}
    assert carla.get("/api/v1/me/mail-preferences").json["digest"] == "never"
    assert stored(app, customer)["comment_reply"] == "now"


def test_the_api_refuses_unknown_kinds_and_modes_clearly(app, api, customer):
    carla = api(customer)
    unknown = carla.patch("/api/v1/me/mail-preferences", json={"newsletter": "now"})
    assert unknown.status_code == 422
    assert unknown.json["error"]["field"] == "newsletter"
    assert "newsletter" in unknown.json["error"]["message"]
    account = carla.patch("/api/v1/me/mail-preferences", json={"account": "never"})
    assert account.status_code == 422 and account.json["error"]["field"] == "account"
    bad_mode = carla.patch(
        "/api/v1/me/mail-preferences", json={"mention": "never", "digest": "hourly"}
    )
    assert bad_mode.status_code == 422 and bad_mode.json["error"]["field"] == "digest"
    assert (
        carla.patch(
            "/api/v1/me/mail-preferences", data="{", headers={"Content-Type": "application/json"}
        ).status_code
        == 400
    )
    assert stored(app, customer) == {**DEFAULTS, "account": "now", "invitation": "now"}


def test_the_api_answers_in_russian(app, api, customer):
    carla = api(customer)
    ru = {"Accept-Language": "ru"}
    refused = carla.patch("/api/v1/me/mail-preferences", json={"mention": "soon"}, headers=ru)
    assert refused.status_code == 422 and refused.json["error"]["field"] == "mention"
    english = carla.patch("/api/v1/me/mail-preferences", json={"mention": "soon"})
    assert refused.json["error"]["message"] != english.json["error"]["message"]
    assert "mention" in refused.json["error"]["message"]
    saved = carla.patch("/api/v1/me/mail-preferences", json={"mention": "digest"}, headers=ru)
    assert saved.status_code == 200 and saved.json["mention"] == "digest"
    assert stored(app, customer)["mention"] == "digest"


def test_the_api_needs_a_token(api):
    assert api().get("/api/v1/me/mail-preferences").status_code == 401
    assert api().patch("/api/v1/me/mail-preferences", json={}).status_code == 401


def test_the_openapi_document_describes_them(api):
    document = api().get("/api/v1/openapi.json").json
    path = document["paths"]["/me/mail-preferences"]
    assert set(path) == {"get", "patch"}
    changes = document["components"]["schemas"]["MailPreferenceChanges"]
    assert changes["additionalProperties"] is False
    assert set(changes["properties"]) == set(DEFAULTS)
    assert changes["properties"]["digest"]["enum"] == ["daily", "weekly", "never"]
