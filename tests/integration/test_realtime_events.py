"""Socket.IO handlers with the Flask-SocketIO test client (issue 9, first part; SEC-13)."""

from __future__ import annotations

import pytest

from network.extensions import db, socketio
from network.models import Member, MemberStatus
from tests.support.content import make_comment, make_post


def connect(app, browser=None, auth=None):
    client = socketio.test_client(app, flask_test_client=browser, auth=auth)
    assert client.is_connected()
    return client


CONVERSATION = {"comment", "comment_updated", "comment_deleted"}


def received(client, name=None):
    """What arrived: one kind of event, or by default the conversation's changes only."""
    wanted = {name} if name else CONVERSATION
    return [(m["name"], m["args"][0]) for m in client.get_received() if m["name"] in wanted]


def test_a_visitor_listens_to_a_public_post_and_catches_up(app, customer, employee):
    post = make_post(app, customer)
    make_comment(app, employee, post, "first")
    make_comment(app, customer, post, "second")
    listener = connect(app)
    ack = listener.emit("subscribe", {"post_id": post.id, "after": 1}, callback=True)
    assert ack == {"ok": True, "last": 2}
    [(name, body)] = received(listener)
    assert name == "comment" and body["n"] == 2 and "second" in body["html"]


def test_live_comments_reach_the_room_only(app, customer, employee):
    post, other = make_post(app, customer), make_post(app, customer)
    here, there = connect(app), connect(app)
    here.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
    there.emit("subscribe", {"post_id": other.id, "after": 0}, callback=True)
    make_comment(app, employee, post, "hello room")
    [(_name, body)] = received(here, "comment")
    assert body["post_id"] == post.id and body["seq"] == 1 and body["n"] == 1
    assert body["author"]["handle"] == "emma" and body["author"]["role"] == "employee"
    assert received(there) == []


def test_members_only_posts_refuse_visitors(app, customer, as_member):
    post = make_post(app, customer, visibility="members")
    ack = connect(app).emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "not_found"
    member = connect(app, as_member(customer))
    assert member.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)["ok"]


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "text",
        [],
        {"post_id": "1", "after": 0},
        {"post_id": 1},
        {"post_id": True, "after": 0},
        {"post_id": -1, "after": 0},
        {"post_id": 10**30, "after": 0},
    ],
)
def test_malformed_subscriptions_get_an_error_ack(app, payload):
    ack = connect(app).emit("subscribe", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] in {"invalid", "not_found"}


def test_commenting_over_the_socket_uses_the_session_and_the_one_write_path(
    app, customer, intruder, as_member
):
    post = make_post(app, customer)
    socket = connect(app, as_member(customer))
    ack = socket.emit(
        "comment",
        {
            "post_id": post.id,
            "body": "via socket",
            "key": "sock-key-1",
            "author_id": intruder.id,
            "author": "ivan",
        },
        callback=True,
    )
    assert ack["ok"] and ack["comment"]["author"]["handle"] == "carla"  # never from the payload
    again = socket.emit(
        "comment", {"post_id": post.id, "body": "via socket", "key": "sock-key-1"}, callback=True
    )
    assert again["comment"]["id"] == ack["comment"]["id"]  # one row per key
    other = socket.emit(
        "comment", {"post_id": post.id, "body": "changed", "key": "sock-key-1"}, callback=True
    )
    assert other["ok"] is False and other["error"]["code"] == "invalid"


def test_visitors_cannot_comment(app, customer):
    post = make_post(app, customer)
    ack = connect(app).emit("comment", {"post_id": post.id, "body": "hi"}, callback=True)
    assert ack["error"]["code"] == "unauthorized"


def test_api_tokens_authenticate_sockets_and_bad_tokens_are_refused(app, customer):
    from network.accounts.tokens import create_api_token

    with app.app_context():
        _row, raw = create_api_token(db.session.get(Member, customer.id), "bot")
    post = make_post(app, customer, visibility="members")
    bot = connect(app, auth={"token": raw})
    assert bot.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)["ok"]
    refused = socketio.test_client(app, auth={"token": "nw_forged"})
    assert not refused.is_connected()


def test_a_suspended_members_socket_stops_working(app, customer, admin, as_member):
    post = make_post(app, customer, visibility="members")
    socket = connect(app, as_member(customer))
    assert socket.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)["ok"]
    from network.accounts import members

    with app.app_context():
        members.set_status(db.session.get(Member, admin.id), customer.id, MemberStatus.suspended)
    assert not socket.is_connected()  # closed by the server at once (SEC-07)


def test_a_signed_out_browsers_socket_stops_working(app, customer, as_member):
    from tests.support.people import post_form

    browser, phone = as_member(customer), as_member(customer)
    socket, phone_socket = connect(app, browser), connect(app, phone)
    post_form(browser, "/signout", token_from="/feed")
    assert not socket.is_connected()
    assert phone_socket.is_connected()  # another device's session goes on


def test_a_socket_whose_session_ended_elsewhere_is_refused_at_its_next_event(
    app, customer, as_member
):
    # The registry is per process; a session ended by another process is caught here.
    from network.models import MemberSession

    browser = as_member(customer)
    socket = connect(app, browser)
    with app.app_context():
        key = db.session.query(MemberSession.key).filter_by(member_id=customer.id).scalar()
    from network.database import write_transaction
    from network.models import utcnow

    with app.app_context(), write_transaction() as session:
        session.query(MemberSession).filter_by(key=key).update({"ended_at": utcnow()})
    post = make_post(app, customer)
    ack = socket.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
    assert ack["error"]["code"] == "unauthorized"
    assert not socket.is_connected()


def test_socket_events_are_rate_limited(app, customer, as_member):
    app.config["RATELIMIT_SOCKET"] = {"default": "3 per minute", "on_subscribe": "3 per minute"}
    post = make_post(app, customer)
    socket = connect(app, as_member(customer))
    acks = [
        socket.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True) for _ in range(4)
    ]
    assert [a["ok"] for a in acks] == [True, True, True, False]
    assert acks[-1]["error"]["code"] == "rate_limited"


def test_edits_and_deletes_are_broadcast_in_order(app, customer):
    from network.posts import comments

    post = make_post(app, customer)
    made = make_comment(app, customer, post, "v1")
    listener = connect(app)
    listener.emit("subscribe", {"post_id": post.id, "after": 1}, callback=True)
    with app.test_request_context():
        actor = db.session.get(Member, customer.id)
        comments.edit_comment(actor, made.id, version=1, body="v2")
        comments.delete_comment(actor, made.id)
    events = received(listener)
    assert [(name, body["n"]) for name, body in events] == [
        ("comment_updated", 2),
        ("comment_deleted", 3),
    ]
    assert set(events[1][1]) == {"id", "post_id", "seq", "n"}


def test_typing_reaches_the_others_in_the_room_but_not_the_typer(
    app, customer, employee, as_member
):
    post = make_post(app, customer)
    typer, reader, elsewhere = (
        connect(app, as_member(customer)),
        connect(app, as_member(employee)),
        connect(app),
    )
    for socket in (typer, reader):
        socket.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
    other = make_post(app, customer)
    elsewhere.emit("subscribe", {"post_id": other.id, "after": 0}, callback=True)
    for socket in (typer, reader, elsewhere):
        socket.get_received()
    assert typer.emit("typing", {"post_id": post.id}, callback=True) == {"ok": True}
    assert typer.emit("typing", {"post_id": post.id}, callback=True) == {"ok": True}  # throttled
    assert received(reader, "typing") == [
        ("typing", {"post_id": post.id, "handle": "carla", "display_name": "Carla Customer"})
    ]
    assert received(typer, "typing") == [] and received(elsewhere, "typing") == []


def test_typing_needs_a_member_and_a_subscription(app, customer, as_member):
    post = make_post(app, customer)
    assert connect(app).emit("typing", {"post_id": post.id}, callback=True)["ok"] is False
    unsubscribed = connect(app, as_member(customer))
    assert unsubscribed.emit("typing", {"post_id": post.id}, callback=True)["ok"] is False


def test_presence_counts_viewers_and_names_staff(app, customer, employee, as_member):
    post = make_post(app, customer)
    visitor = connect(app)
    visitor.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
    staff = connect(app, as_member(employee))
    staff.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
    latest = received(visitor, "presence")[-1][1]
    assert latest == {"post_id": post.id, "viewers": 2, "staff": ["emma"]}
    staff.disconnect()
    assert received(visitor, "presence")[-1][1] == {"post_id": post.id, "viewers": 1, "staff": []}


def test_hiding_a_post_tells_its_open_pages(app, customer, moderator):
    from network.posts import service

    post = make_post(app, customer)
    listener = connect(app)
    listener.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
    with app.test_request_context():
        service.set_post_hidden(db.session.get(Member, moderator.id), post.id, True)
    assert received(listener, "post_hidden") == [("post_hidden", {"post_id": post.id})]


def test_lists_listen_without_counting_as_present(app, customer):
    post = make_post(app, customer)
    reader = connect(app)
    reader.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
    feed = connect(app)
    ack = feed.emit(
        "subscribe", {"post_id": post.id, "after": 0, "listen_only": True}, callback=True
    )
    assert ack["ok"]
    assert received(reader, "presence")[-1][1]["viewers"] == 1
    make_comment(app, customer, post, "both hear this")
    assert len(received(feed)) == 1
