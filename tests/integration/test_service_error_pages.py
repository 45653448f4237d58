"""A service's refusal that no view catches is one app-wide error page (issue 17).

network/web/errors.py answers every uncaught ServiceError with its status and
its message, in the visitor's language; a BadCursor with the plain 400 page;
the API blueprint keeps answering its own in JSON.  The CSRF handler re-runs a
form view inside an error handler, where Flask hands nothing on: a refusal
raised there must reach the same page, never a 500.
"""

from __future__ import annotations

import pytest
from flask import Flask

from network.exceptions import ServiceError
from tests.support.content import make_post
from tests.support.pages import csrf_token

ABSENT = 999999
ENGLISH = {"Accept-Language": "en"}
RUSSIAN = {"Accept-Language": "ru"}


@pytest.fixture
def app_settings():
    # As in production: an exception nobody answers is a logged 500, which the tests look for.
    return {"PROPAGATE_EXCEPTIONS": False}


def _page(answer) -> str:
    return answer.get_data(as_text=True)


def test_a_profile_nobody_can_see_is_a_404_page_with_the_services_words(client):
    english = client.get("/u/nobody_here", headers=ENGLISH)
    russian = client.get("/u/nobody_here", headers=RUSSIAN)

    assert english.status_code == russian.status_code == 404
    assert english.mimetype == "text/html"
    assert "There is no such member, or their profile is not visible to you." in _page(english)
    assert "Такого участника нет, или его профиль вам не виден." in _page(russian)


def test_an_admin_deciding_on_nobody_gets_the_services_404(as_member, admin):
    browser = as_member(admin)  # no language of their own: Accept-Language decides
    for headers, words in ((ENGLISH, "No such member is waiting."), (RUSSIAN, "Такой заявки нет.")):
        answer = browser.post(
            f"/admin/approvals/{ABSENT}/approve",
            data={"csrf_token": _token(browser, "/admin/approvals")},
            headers=headers,
        )
        assert answer.status_code == 404
        assert words in _page(answer)


def _token(browser, path: str) -> str:
    return csrf_token(_page(browser.get(path)))


def test_following_yourself_is_a_422_page_with_the_reason(as_member, customer):
    browser = as_member(customer)
    for headers, words in (
        (ENGLISH, "You cannot follow yourself."),
        (RUSSIAN, "Нельзя подписаться на самого себя."),
    ):
        answer = browser.post(
            f"/u/{customer.handle}/follow",
            data={"csrf_token": _token(browser, f"/u/{customer.handle}")},
            headers=headers,
        )
        assert answer.status_code == 422
        assert words in _page(answer)


def test_a_cursor_we_did_not_make_is_the_plain_400_page(as_member, customer):
    browser = as_member(customer)
    english = browser.get("/feed?cursor=not-ours", headers=ENGLISH)
    russian = browser.get("/members?cursor=not-ours", headers=RUSSIAN)

    assert english.status_code == russian.status_code == 400
    assert "The request could not be understood. Please try again." in _page(english)
    assert "Не удалось понять запрос. Попробуйте ещё раз." in _page(russian)
    # BadCursor's own message is for logs, not for people.
    assert "malformed cursor" not in _page(english) + _page(russian)


def test_a_refusal_inside_the_csrf_handler_is_the_same_page_not_a_500(as_member, customer):
    """The comment form re-renders on a failed token; the post it names is not there."""
    browser = as_member(customer)
    for headers, words in (
        (ENGLISH, "There is nothing here, or it is not visible to you."),
        (RUSSIAN, "Здесь ничего нет, или это вам не видно."),
    ):
        answer = browser.post(
            f"/posts/{ABSENT}/comments",
            data={"body": "hello", "csrf_token": "stale"},
            headers=headers,
        )
        assert answer.status_code == 404
        assert words in _page(answer)


@pytest.mark.parametrize(
    ("status", "title"), [(409, "Changed meanwhile"), (503, "Something went wrong")]
)
def test_any_status_a_service_names_is_answered_with_it(app: Flask, client, status, title):
    class Refusal(ServiceError):
        pass

    Refusal.status = status

    def refuse():
        raise Refusal("The machine is descaling; try again in a minute.")

    app.add_url_rule("/test-only/refusal", "test_only_refusal", refuse)
    answer = client.get("/test-only/refusal", headers=ENGLISH)

    assert answer.status_code == status
    assert title in _page(answer)
    assert "The machine is descaling; try again in a minute." in _page(answer)


def test_the_api_still_answers_its_refusals_in_json(client):
    missing = client.get(f"/api/v1/posts/{ABSENT}", headers=RUSSIAN)
    cursor = client.get("/api/v1/public?cursor=not-ours")

    assert missing.status_code == 404
    assert missing.json["error"]["code"] == "not_found"
    assert cursor.status_code == 400
    assert cursor.json["error"] == {
        "code": "bad_cursor",
        "message": "This cursor is not one we made; start again from the first page.",
        "field": "cursor",
    }


def test_a_conflict_a_view_keeps_local_is_still_its_own(app, as_member, moderator, customer):
    """Hiding a post that is hidden already is "already so", not an error page."""
    post = make_post(app, customer, "Twice hidden")
    browser = as_member(moderator)
    for _ in range(2):
        answer = browser.post(
            f"/posts/{post.id}/hide", data={"csrf_token": _token(browser, f"/posts/{post.id}")}
        )
        assert answer.status_code == 302
