"""Cache-Control (issue 16, item 7): shared caches never store a member's page, no cache a secret.

A page that shows a secret (a new API token, a new invitation link, a
password reset or first-admin setup link) says `private, no-store`; every
other page made for a signed-in member says `private, no-cache`; anonymous
public pages keep the caching their views chose; a kept page served from
fragments carries the same header as one rendered afresh.
"""

from __future__ import annotations

import re

from tests.support.content import make_post
from tests.support.people import link_in, post_form

MEMBER = "private, no-cache"
UNSTORED = "private, no-store"


def cache_control(answer) -> str:
    return answer.headers.get("Cache-Control", "")


# Secrets ---------------------------------------------------------------------------------------


def test_the_page_showing_a_new_api_token_is_never_stored(customer, as_member):
    browser = as_member(customer)
    answer = post_form(
        browser, "/settings/tokens", {"name": "laptop"}, token_from="/settings/tokens"
    )
    assert re.search(r'value="nw_[A-Za-z0-9_-]+"', answer.get_data(as_text=True))
    assert cache_control(answer) == UNSTORED
    # The list of tokens afterwards shows names only: a member's page like the others.
    assert cache_control(browser.get("/settings/tokens")) == MEMBER


def test_a_refused_token_form_is_not_stored_either(customer, as_member):
    answer = as_member(customer).post("/settings/tokens", data={"name": "laptop"})  # no token
    assert answer.status_code == 422
    assert cache_control(answer) == UNSTORED


def test_the_password_reset_form_behind_a_mailed_link_is_never_stored(client, customer, outbox):
    post_form(client, "/reset", {"email": customer.email}, token_from="/reset")
    path = link_in(outbox[0])
    answer = client.get(path)
    assert answer.status_code == 200
    assert cache_control(answer) == UNSTORED
    refused = post_form(client, path, {"password": "short"}, token_from=path)
    assert refused.status_code == 422
    assert cache_control(refused) == UNSTORED


def test_the_first_admin_setup_page_is_never_stored(app, client):
    from network.accounts.members import issue_setup_token

    with app.app_context():
        raw = issue_setup_token()
    answer = client.get(f"/setup/{raw}")
    assert answer.status_code == 200
    assert cache_control(answer) == UNSTORED


def test_a_new_invitation_link_is_never_stored(admin, as_member):
    browser = as_member(admin)
    answer = post_form(
        browser,
        "/admin/invitations",
        {"role": "customer", "days": "7", "max_uses": "1"},
        token_from="/admin/invitations",
    )
    assert answer.status_code == 200
    assert "invite=" in answer.get_data(as_text=True)
    assert cache_control(answer) == UNSTORED
    # The sign-up page the link opens carries the token too.
    link = re.search(r"(/signup\?invite=[A-Za-z0-9_-]+)", answer.get_data(as_text=True))
    opened = as_member(admin).application.test_client().get(link.group(1))
    assert opened.status_code == 200
    assert cache_control(opened) == UNSTORED


# Members' pages --------------------------------------------------------------------------------


def test_a_members_feed_is_private_and_asked_for_again(app, customer, as_member):
    make_post(app, customer, "Descaling every week helps")
    answer = as_member(customer).get("/feed")
    assert answer.status_code == 200
    assert cache_control(answer) == MEMBER
    assert "Cookie" in answer.headers.get("Vary", "")


def test_every_page_a_member_is_shown_is_private(app, customer, as_member):
    post = make_post(app, customer, "Descaling every week helps")
    browser = as_member(customer)
    for path in ("/", f"/posts/{post.id}", "/u/carla", "/settings", "/notifications", "/members"):
        answer = browser.get(path)
        assert "private" in cache_control(answer), path
        assert "public" not in cache_control(answer), path


def test_an_api_answer_for_a_token_holder_is_private(app, customer):
    from network.accounts import tokens
    from network.extensions import db
    from network.models import Member

    with app.test_request_context():
        _token, raw = tokens.create_api_token(db.session.get(Member, customer.id), "script")
    answer = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 200
    assert cache_control(answer) == MEMBER


# Anonymous and public pages --------------------------------------------------------------------


def test_an_anonymous_visitor_is_never_told_a_public_page_is_private(app, client, customer):
    post = make_post(app, customer, "Descaling every week helps")
    for path in ("/", f"/posts/{post.id}", "/u/carla", "/signin", "/api/v1/public"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert "private" not in cache_control(answer), path


def test_public_documents_keep_their_own_caching_for_everyone(client, customer, as_member):
    browser = as_member(customer)
    for path, chosen in (
        ("/posts.atom", "public, no-cache"),
        ("/sitemap.xml", "public, no-cache"),
        ("/robots.txt", "public, max-age=3600"),
    ):
        assert cache_control(client.get(path)) == chosen, path
        assert cache_control(browser.get(path)) == chosen, path


# Fragments -------------------------------------------------------------------------------------


def test_pages_made_of_kept_fragments_carry_the_same_caching_as_fresh_ones(
    app, client, customer, as_member
):
    from network.fragments.store import COUNTS

    make_post(app, customer, "Descaling every week helps")
    for browser, path, caching in ((as_member(customer), "/feed", MEMBER), (client, "/", "")):
        first = browser.get(path)
        hits = COUNTS.get("post", "hit")
        again = browser.get(path)
        assert COUNTS.get("post", "hit") == hits + 1, path  # its card came from the cache
        assert first.status_code == again.status_code == 200, path
        assert cache_control(first) == cache_control(again) == caching, path
        assert first.headers.get("Vary") == again.headers.get("Vary"), path
