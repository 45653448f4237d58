"""Posts: write, read, edit with versions, delete, hide, announce (issue 5, item 1)."""

from __future__ import annotations

from datetime import date, timedelta

from network.extensions import db
from network.models import ContentState, Post
from tests.support.content import make_post
from tests.support.pages import csrf_token, executable_inline_script, unlabelled_controls
from tests.support.people import post_form


def write(browser, **fields):
    page = browser.get("/posts/new").get_data(as_text=True)
    key = page.split('name="key" type="hidden" value="')[1].split('"')[0]
    data = {
        "title": "",
        "body": "Hello **world**",
        "visibility": "public",
        "key": key,
        "csrf_token": csrf_token(page),
        **fields,
    }
    return browser.post("/posts", data=data)


def test_a_member_writes_a_post_and_everyone_reads_it(app, client, customer, as_member):
    browser = as_member(customer)
    editor = browser.get("/posts/new").get_data(as_text=True)
    assert unlabelled_controls(editor) == [] and executable_inline_script(editor) == []
    response = write(browser, title="First steps", body="Hello **world** https://example.com")
    assert response.status_code == 302
    path = response.headers["Location"]
    page = client.get(path).get_data(as_text=True)  # an anonymous visitor
    assert '<h1 id="post-title">First steps</h1>' in page
    assert "<strong>world</strong>" in page
    assert 'rel="nofollow ugc noopener"' in page
    assert "Carla Customer" in page
    assert "No comments yet" in page


def test_the_title_is_optional_and_the_body_is_not(customer, as_member):
    browser = as_member(customer)
    assert write(browser, title="").status_code == 302
    empty = write(browser, body="   ")
    assert empty.status_code == 422
    too_long = write(browser, body="x" * 20_001, title="Kept title")
    assert too_long.status_code == 422
    page = too_long.get_data(as_text=True)
    assert "at most 20000" in page and 'value="Kept title"' in page


def test_members_only_posts_are_404_to_visitors(app, client, customer, intruder, as_member):
    post = make_post(app, customer, visibility="members", body="inside news")
    assert client.get(f"/posts/{post.id}").status_code == 404
    assert "inside news" in as_member(intruder).get(f"/posts/{post.id}").get_data(as_text=True)


def test_unknown_posts_and_bad_ids_are_404(client):
    assert client.get("/posts/999999").status_code == 404
    assert client.get("/posts/abc").status_code == 404


def test_the_author_edits_with_a_version_and_gets_an_edited_marker(app, customer, as_member):
    post = make_post(app, customer, body="first draft")
    browser = as_member(customer)
    response = post_form(
        browser,
        f"/posts/{post.id}/edit",
        {"body": "second draft", "visibility": "public", "version": "1"},
        token_from=f"/posts/{post.id}/edit",
    )
    assert response.status_code == 302
    page = browser.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "second draft" in page and "edited" in page
    with app.app_context():
        assert db.session.get(Post, post.id).version == 2


def test_a_stale_save_shows_both_texts_and_overwrites_nothing(app, customer, as_member):
    post = make_post(app, customer, body="original")
    laptop, phone = as_member(customer), as_member(customer)
    post_form(
        phone,
        f"/posts/{post.id}/edit",
        {"body": "from the phone", "visibility": "public", "version": "1"},
        token_from=f"/posts/{post.id}/edit",
    )
    stale = post_form(
        laptop,
        f"/posts/{post.id}/edit",
        {"body": "from the laptop", "visibility": "public", "version": "1"},
        token_from=f"/posts/{post.id}/edit",
    )
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "from the phone" in page and "from the laptop" in page
    assert 'name="version" type="hidden" value="2"' in page
    with app.app_context():
        assert db.session.get(Post, post.id).body == "from the phone"


def test_an_intruder_cannot_edit_or_delete_but_sees_the_post(app, customer, intruder, as_member):
    post = make_post(app, customer, body="mine")
    browser = as_member(intruder)
    assert browser.get(f"/posts/{post.id}/edit").status_code == 403
    assert (
        post_form(
            browser,
            f"/posts/{post.id}/edit",
            {"body": "hijacked", "visibility": "public", "version": "1"},
        ).status_code
        == 403
    )
    assert post_form(browser, f"/posts/{post.id}/delete").status_code == 403
    with app.app_context():
        assert db.session.get(Post, post.id).body == "mine"


def test_members_only_edits_by_an_intruder_are_403_and_private_ones_404(
    app, customer, intruder, as_member
):
    post = make_post(app, customer, visibility="members", body="members news")
    assert as_member(intruder).get(f"/posts/{post.id}/edit").status_code == 403


def test_deleting_asks_first_then_removes_the_words(app, client, customer, as_member):
    post = make_post(app, customer, body="regrettable")
    browser = as_member(customer)
    confirm = browser.get(f"/posts/{post.id}/delete")
    assert confirm.status_code == 200 and "Delete the post?" in confirm.get_data(as_text=True)
    assert post_form(browser, f"/posts/{post.id}/delete").status_code == 302
    assert client.get(f"/posts/{post.id}").status_code == 404
    with app.app_context():
        stored = db.session.get(Post, post.id)
        assert stored.state == ContentState.deleted and stored.body == ""


def test_a_moderator_hides_and_restores(app, client, customer, moderator, intruder, as_member):
    post = make_post(app, customer, body="borderline")
    mod = as_member(moderator)
    assert post_form(mod, f"/posts/{post.id}/hide").status_code == 302
    assert client.get(f"/posts/{post.id}").status_code == 404
    assert as_member(intruder).get(f"/posts/{post.id}").status_code == 404
    assert "borderline" in as_member(customer).get(f"/posts/{post.id}").get_data(as_text=True)
    assert mod.get(f"/posts/{post.id}").status_code == 200
    assert post_form(mod, f"/posts/{post.id}/restore").status_code == 302
    assert client.get(f"/posts/{post.id}").status_code == 200


def test_only_moderators_hide(app, customer, intruder, as_member):
    post = make_post(app, customer)
    assert post_form(as_member(intruder), f"/posts/{post.id}/hide").status_code == 403


def test_a_moderator_may_delete_anyones_post(app, customer, moderator, as_member):
    post = make_post(app, customer)
    assert post_form(as_member(moderator), f"/posts/{post.id}/delete").status_code == 302


def test_staff_pin_announcements_and_customers_cannot(app, customer, employee, as_member):
    until = (date.today() + timedelta(days=7)).isoformat()
    staff = write(as_member(employee), body="New release!", pinned_until=until)
    assert staff.status_code == 302
    with app.app_context():
        post = db.session.query(Post).one()
        assert post.is_announcement and post.pinned_until.date().isoformat() == until
    assert write(as_member(customer), body="Me too", pinned_until=until).status_code == 403
    past = write(as_member(employee), body="Old", pinned_until="2001-01-01")
    assert past.status_code == 422
