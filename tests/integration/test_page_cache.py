"""Kept pages (network/page_cache): never older than the data, never another viewer's (issue 8).

The home feed, the front page and post pages are rendered once and served
again while the page generation stands. These tests change what a kept page
shows in every way the product allows and check that the next answer shows
it; that nobody gets a page rendered for someone else; and that the values
that must be new on every answer are.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import text, update

from network import create_app
from network.database import write_transaction
from network.extensions import db
from network.models import MemberSession, Post, utcnow
from network.page_cache import generation
from network.page_cache.pages import EXTENSION
from tests.support.content import follow, make_comment, make_post
from tests.support.pages import csrf_token
from tests.support.people import sign_in


def kept(app: Flask):
    return app.extensions[EXTENSION]


def number(app: Flask) -> int:
    with app.app_context():
        return generation._read(db.engine)


def key_of(html: str) -> str:
    found = re.search(r'name="key"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="key"', html
    )
    assert found, "the page has no idempotency key"
    return found.group(1)


# The generation --------------------------------------------------------------------------------


@pytest.mark.both_databases
def test_every_committed_write_moves_the_generation_on_and_nothing_else_does(
    app, customer, db_backend
):
    start = number(app)
    make_post(app, customer, title="ORM insert")
    assert number(app) == start + 1
    with app.app_context(), write_transaction() as session:
        session.execute(update(Post).values(title="Core update"))
    assert number(app) == start + 2
    with app.app_context(), write_transaction() as session:
        session.execute(text("UPDATE post SET title = 'raw SQL'"))
    assert number(app) == start + 3
    # A rolled-back write, a read and a write that says no page shows it: no move.
    with app.app_context():
        with pytest.raises(RuntimeError), write_transaction() as session:
            session.execute(text("UPDATE post SET title = 'never'"))
            raise RuntimeError("changed my mind")
        db.session.execute(text("SELECT count(*) FROM post")).scalar()
        db.session.commit()
        with write_transaction(pages_unchanged=True) as session:
            session.execute(update(MemberSession).values(ip="127.0.0.1"))
    assert number(app) == start + 3


# What a kept page shows is never older than the data ------------------------------------------


def test_a_second_look_is_served_from_the_store(app, customer, as_member):
    make_post(app, customer, title="First")
    browser = as_member(customer)
    first = browser.get("/feed")
    hits = kept(app).hits
    again = browser.get("/feed")
    assert again.status_code == 200
    assert kept(app).hits == hits + 1
    assert again.get_data(as_text=True) == first.get_data(as_text=True)
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert "Cookie" in again.headers.get("Vary", "")


@pytest.mark.both_databases
def test_the_feed_shows_a_followed_members_new_post_at_once(
    app, customer, employee, as_member, db_backend
):
    follow(app, customer, employee)
    browser = as_member(customer)
    assert "Fresh news" not in browser.get("/feed").get_data(as_text=True)
    browser.get("/feed")  # kept now
    make_post(app, employee, title="Fresh news")
    assert "Fresh news" in browser.get("/feed").get_data(as_text=True)


def test_a_post_page_shows_each_change_to_the_post_and_its_comments(
    app, customer, employee, as_member, client
):
    post = make_post(app, customer, title="Kept", body="The first text")
    path = f"/posts/{post.id}"
    reader = as_member(employee)
    for _ in range(2):
        assert "The first text" in reader.get(path).get_data(as_text=True)
        assert "The first text" in client.get(path).get_data(as_text=True)

    make_comment(app, employee, post, "A comment that just came in")
    assert "A comment that just came in" in reader.get(path).get_data(as_text=True)
    assert "A comment that just came in" in client.get(path).get_data(as_text=True)

    from network.posts import service

    with app.app_context():
        service.edit_post(
            db.session.get(type(customer), customer.id),
            post.id,
            version=1,
            title="Kept",
            body="The edited text",
            visibility="members",
        )
    assert "The edited text" in reader.get(path).get_data(as_text=True)
    # Members only now: the visitor's kept public page is not served any more.
    assert client.get(path).status_code == 404

    with app.app_context():
        service.delete_post(db.session.get(type(customer), customer.id), post.id)
    assert reader.get(path).status_code == 404


@pytest.mark.both_databases
def test_a_write_by_another_process_is_seen_by_this_one(
    app, customer, employee, as_member, db_backend
):
    """Two apps on one database stand for two processes: each keeps its own pages."""
    other = create_app(dict(app.config))
    post = make_post(app, customer, title="Shared")
    reader = as_member(employee)
    path = f"/posts/{post.id}"
    reader.get(path)
    reader.get(path)
    make_comment(other, customer, post, "Written by the other process")
    assert "Written by the other process" in reader.get(path).get_data(as_text=True)
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_pinned_announcement_leaves_kept_pages_when_its_pin_ends(
    app, customer, employee, as_member, monkeypatch
):
    from datetime import date

    make_post(app, employee, title="Big news", pinned_until=date.today() + timedelta(days=2))
    soon = utcnow() + timedelta(seconds=20)  # as if pinned until then: inside a page's minute
    with app.app_context(), write_transaction() as session:
        session.execute(update(Post).values(pinned_until=soon))
    browser = as_member(customer)  # who does not follow the employee
    assert "Big news" in browser.get("/feed").get_data(as_text=True)
    hits = kept(app).hits
    assert "Big news" in browser.get("/feed").get_data(as_text=True)
    assert kept(app).hits == hits + 1
    later = soon + timedelta(seconds=1)
    monkeypatch.setattr("network.page_cache.pages.utcnow", lambda: later)
    monkeypatch.setattr("network.posts.feed.utcnow", lambda: later)
    assert "Big news" not in browser.get("/feed").get_data(as_text=True)
    assert kept(app).hits == hits + 1  # rendered again, not served


# Nobody gets a page rendered for someone else --------------------------------------------------


def test_each_member_gets_their_own_feed_and_controls(app, customer, employee, as_member, client):
    make_post(app, customer, title="Customer own")
    post = make_post(app, employee, title="Employee own")
    mine, theirs = as_member(customer), as_member(employee)
    for _ in range(2):
        assert "Customer own" in mine.get("/feed").get_data(as_text=True)
        feed = theirs.get("/feed").get_data(as_text=True)
        assert "Customer own" not in feed and "Employee own" in feed
    edit = f"/posts/{post.id}/edit"
    for _ in range(2):
        assert edit in theirs.get(f"/posts/{post.id}").get_data(as_text=True)
        assert edit not in mine.get(f"/posts/{post.id}").get_data(as_text=True)
        assert edit not in client.get(f"/posts/{post.id}").get_data(as_text=True)


def test_a_signed_out_sessions_cookie_gets_no_kept_page(app, customer):
    browser = app.test_client()
    sign_in(browser, customer.email)
    browser.get("/feed")
    assert browser.get("/feed").status_code == 200  # served from the store
    stolen = browser.get_cookie("session").value
    token = csrf_token(browser.get("/feed").get_data(as_text=True))
    assert browser.post("/signout", data={"csrf_token": token}).status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    answer = thief.get("/feed")
    assert answer.status_code in (302, 401)
    assert "Your feed" not in answer.get_data(as_text=True)


def test_a_session_past_its_end_gets_no_kept_page(app, customer, as_member, monkeypatch):
    browser = as_member(customer)
    ends = utcnow() + timedelta(seconds=20)  # well inside a kept page's minute
    with app.app_context(), write_transaction() as session:
        session.execute(update(MemberSession).values(expires_at=ends))
    browser.get("/feed")
    hits = kept(app).hits
    assert browser.get("/feed").status_code == 200
    assert kept(app).hits == hits + 1
    after = ends + timedelta(seconds=1)
    monkeypatch.setattr("network.page_cache.pages.utcnow", lambda: after)
    monkeypatch.setattr("network.accounts.sessions.utcnow", lambda: after)
    assert browser.get("/feed").status_code in (302, 401)


def test_a_forged_host_never_reaches_other_visitors(app, customer, client):
    make_post(app, customer, title="Public", visibility="public")
    client.get("/", headers={"Host": "evil.example"})
    client.get("/", headers={"Host": "evil.example"})
    assert "evil.example" not in client.get("/").get_data(as_text=True)


def test_each_language_has_its_own_page(app, customer, client):
    make_post(app, customer, title="Public", visibility="public")
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    client.set_cookie("lang", "ru")
    russian = client.get("/").get_data(as_text=True)
    assert 'lang="ru"' in russian and 'lang="en"' in english
    client.delete_cookie("lang")
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


# What must be new on every answer is -----------------------------------------------------------


def test_each_browser_gets_its_own_csrf_token_and_a_new_key_and_both_work(
    app, customer, employee, as_member
):
    post = make_post(app, customer, title="Talk")
    path = f"/posts/{post.id}"
    one, two = as_member(employee), as_member(employee)  # the same member in two browsers
    first = one.get(path).get_data(as_text=True)
    second = two.get(path).get_data(as_text=True)  # rendered again, and kept for both
    hits = kept(app).hits
    third = one.get(path).get_data(as_text=True)
    assert kept(app).hits == hits + 1  # browser one gets the page rendered for browser two
    assert len({key_of(first), key_of(second), key_of(third)}) == 3
    for browser, html, body in ((one, third, "From one"), (two, second, "From two")):
        answer = browser.post(
            f"{path}/comments",
            data={"csrf_token": csrf_token(html), "key": key_of(html), "body": body},
        )
        assert answer.status_code in (201, 302, 303), answer.get_data(as_text=True)[:300]
    html = one.get(path).get_data(as_text=True)
    assert "From one" in html and "From two" in html


def test_a_flashed_message_is_shown_once_and_never_kept(app, customer, as_member):
    post = make_post(app, customer, title="Mine", body="Before")
    path = f"/posts/{post.id}"
    browser = as_member(customer)
    browser.get(path)
    browser.get(path)
    form = browser.get(f"{path}/edit").get_data(as_text=True)
    saved = browser.post(
        f"{path}/edit",
        data={
            "csrf_token": csrf_token(form),
            "title": "Mine",
            "body": "After",
            "visibility": "members",
            "version": "1",
        },
        follow_redirects=True,
    )
    assert "Saved." in saved.get_data(as_text=True)
    again = browser.get(path).get_data(as_text=True)
    assert "After" in again and "Saved." not in again


def test_with_the_store_off_pages_are_rendered_every_time(app_factory_off, customer):
    app = app_factory_off
    assert EXTENSION not in app.extensions
    make_post(app, customer, title="Still works", visibility="public")
    client = app.test_client()
    for _ in range(2):
        assert "Still works" in client.get("/").get_data(as_text=True)


@pytest.fixture
def app_factory_off(app):
    off = create_app({**app.config, "PAGE_CACHE_MB": 0})
    yield off
    with off.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_page_never_keeps_or_hides_a_flashed_message(app, customer, as_member):
    """Flashes live in the session, not the database: no generation tells of them."""
    from flask import flash, redirect, render_template_string

    from network import page_cache

    calls = []

    @page_cache.cached
    def flashing_page():
        calls.append(1)
        if len(calls) == 1:
            flash("Said only once")
        return render_template_string(
            "{% for text in get_flashed_messages() %}<p>{{ text }}</p>{% endfor %}ok"
        )

    def flash_then_feed():
        flash("Waiting on the next page")
        return redirect("/feed")

    app.add_url_rule("/test/flashing", "flashing_page", flashing_page)
    app.add_url_rule("/test/flash-then-feed", "flash_then_feed", flash_then_feed)
    browser = as_member(customer)
    browser.get("/feed")
    browser.get("/feed")  # kept, and this session is known: the next look is a hit
    shown = browser.get("/test/flash-then-feed", follow_redirects=True).get_data(as_text=True)
    assert "Waiting on the next page" in shown
    assert "Waiting on the next page" not in browser.get("/feed").get_data(as_text=True)

    assert "Said only once" in browser.get("/test/flashing").get_data(as_text=True)
    assert "Said only once" not in browser.get("/test/flashing").get_data(as_text=True)
