"""Notifications that are not lost: stored, grouped by thread, read, pushed live (issue 9)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from network.extensions import db, socketio
from network.models import Notification
from tests.support.content import make_comment, make_post
from tests.support.people import post_form


def kinds(app, member) -> list[str]:
    with app.app_context():
        return sorted(
            n.kind.value
            for n in db.session.scalars(
                select(Notification).where(Notification.member_id == member.id)
            )
        )


def test_a_reply_notifies_the_author_earlier_commenters_and_mentions(
    app, customer, employee, intruder, moderator
):
    post = make_post(app, customer, title="Grinder noise")
    make_comment(app, intruder, post, "Same here")
    make_comment(app, employee, post, "Thanks, @mona will look")
    assert kinds(app, customer) == ["reply_to_post", "reply_to_post"]
    assert kinds(app, intruder) == ["reply_after_you"]
    assert kinds(app, moderator) == ["mention"]
    assert kinds(app, employee) == []  # never about your own words


def test_the_page_groups_by_thread_and_marks_read(app, customer, employee, as_member):
    first, second = (
        make_post(app, customer, title="First"),
        make_post(app, customer, title="Second"),
    )
    for text in ("a", "b"):
        make_comment(app, employee, first, text)
    make_comment(app, employee, second, "c")
    browser = as_member(customer)
    page = browser.get("/notifications").get_data(as_text=True)
    assert page.count('class="item unread"') == 2
    assert "Emma Employee commented on your post “First”" in page
    assert "1 more in this thread" in page
    feed = browser.get("/feed").get_data(as_text=True)
    assert 'badge badge-count">3<' in feed
    post_form(browser, f"/notifications/read/{first.id}", token_from="/notifications")
    assert 'badge badge-count">1<' in browser.get("/feed").get_data(as_text=True)
    post_form(browser, "/notifications/read", token_from="/notifications")
    assert "badge-count" not in browser.get("/feed").get_data(as_text=True)


def test_nobody_marks_or_reads_anothers_notifications(app, customer, employee, intruder, as_member):
    post = make_post(app, customer, title="Mine")
    make_comment(app, employee, post, "hello")
    attacker = as_member(intruder)
    assert "Mine" not in attacker.get("/notifications").get_data(as_text=True)
    post_form(attacker, f"/notifications/read/{post.id}", token_from="/notifications")
    with app.app_context():
        assert db.session.scalar(select(Notification.read_at)) is None


def test_an_announcement_reaches_every_active_member(app, customer, employee, intruder):
    make_post(app, employee, title="Release 2.0", pinned_until=date.today() + timedelta(days=2))
    assert kinds(app, customer) == ["announcement"] and kinds(app, intruder) == ["announcement"]
    assert kinds(app, employee) == []


def test_the_socket_delivers_it_faster_to_the_recipient_only(
    app, customer, employee, intruder, as_member
):
    post = make_post(app, customer, title="Live")
    mine = socketio.test_client(app, flask_test_client=as_member(customer))
    theirs = socketio.test_client(app, flask_test_client=as_member(intruder))
    make_comment(app, employee, post, "answer")
    pushed = [m["args"][0] for m in mine.get_received() if m["name"] == "notification"]
    assert len(pushed) == 1
    assert set(pushed[0]) == {"id", "kind", "text", "url", "created_at"}
    assert pushed[0]["url"] == f"/posts/{post.id}#c1" and pushed[0]["kind"] == "reply_to_post"
    assert [m for m in theirs.get_received() if m["name"] == "notification"] == []


def test_an_empty_page_says_what_will_appear(customer, as_member):
    page = as_member(customer).get("/notifications").get_data(as_text=True)
    assert "Nothing new." in page
