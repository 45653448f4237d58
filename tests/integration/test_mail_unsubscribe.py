"""Unsubscribe links (issue 20, item 4): GET asks, POST or RFC 8058 one-click turns the kind off."""

from __future__ import annotations

import pytest

from network.extensions import db
from network.mail import preferences, unsubscribe
from network.models import Member
from tests.support.pages import csrf_token


@pytest.fixture
def link(app, customer):
    def make(kind: str = "staff_reply", member=None) -> str:
        with app.test_request_context():
            url = unsubscribe.unsubscribe_url(member or customer, kind)
        return url.removeprefix("http://localhost")

    return make


def mode(app, member, kind: str) -> str:
    with app.app_context():
        return preferences.mode_for(db.session.get(Member, member.id), kind)


def test_opening_the_link_changes_nothing(app, client, customer, link):
    page = client.get(link())
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Unsubscribe" in text and "staff replies" in text
    assert 'method="post"' in text
    assert mode(app, customer, "staff_reply") == "now"


def test_the_button_unsubscribes_once_and_again_is_harmless(app, client, customer, link):
    path = link()
    page = client.get(path).get_data(as_text=True)
    done = client.post(path, data={"csrf_token": csrf_token(page)})
    assert done.status_code == 200
    assert "You are unsubscribed" in done.get_data(as_text=True)
    assert mode(app, customer, "staff_reply") == "never"
    assert mode(app, customer, "mention") == "now"  # only the kind the link names
    assert client.post(path).status_code == 200
    assert "You are unsubscribed" in client.get(path).get_data(as_text=True)


def test_one_click_works_without_a_session_or_csrf(app, customer, link):
    mail_client = app.test_client()  # a mail provider's server: no cookie, no token
    answer = mail_client.post(
        link("mention"),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    assert mode(app, customer, "mention") == "never"


def test_the_digest_link_turns_the_digest_off(app, client, customer, link):
    assert client.post(link("digest")).status_code == 200
    assert mode(app, customer, "digest") == "never"


def test_a_signed_in_member_may_use_anothers_link_only_for_them(
    app, customer, intruder, as_member, link
):
    # the link names Carla; whoever clicks it, only Carla's setting changes
    assert as_member(intruder).post(link()).status_code == 200
    assert mode(app, customer, "staff_reply") == "never"
    assert mode(app, intruder, "staff_reply") == "now"


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "WzEsInN0YWZmX3JlcGx5Il0.AAAAAAAAAAAAAAAAAAAAAAAAAAA",  # right shape, wrong signature
        "x" * 500,
        "%00%ff",
    ],
)
def test_a_forged_or_broken_token_is_refused_clearly(app, client, customer, token):
    for answer in (
        client.get(f"/mail/unsubscribe/{token}"),
        client.post(f"/mail/unsubscribe/{token}", data="List-Unsubscribe=One-Click"),
    ):
        assert answer.status_code == 404
        assert "This unsubscribe link does not work" in answer.get_data(as_text=True)
    assert mode(app, customer, "staff_reply") == "now"


def test_a_token_for_another_secret_or_a_mandatory_kind_is_refused(app, client, customer):
    from itsdangerous import URLSafeSerializer

    forged = URLSafeSerializer("another-secret-key-of-enough-length-here", salt=unsubscribe.SALT)
    assert (
        client.post(f"/mail/unsubscribe/{forged.dumps([customer.id, 'mention'])}").status_code
        == 404
    )
    with app.app_context():
        mandatory = unsubscribe._serializer().dumps([customer.id, "account"])
        nobody = unsubscribe._serializer().dumps([999999, "mention"])
    assert client.post(f"/mail/unsubscribe/{mandatory}").status_code == 404
    assert client.post(f"/mail/unsubscribe/{nobody}").status_code == 404


def test_the_page_speaks_russian(app, customer, link):
    page = app.test_client().get(link(), headers={"Accept-Language": "ru"})
    assert page.status_code == 200
    assert "Отписаться" in page.get_data(as_text=True)
