"""Realtime access ends when access ends (issue 16, items 1 and 2): rooms follow who may see a post
or a case study, and a socket lives only as long as the credential it was opened with."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import event, update

from network.database import write_transaction
from network.extensions import db, socketio
from network.models import ApiToken, Member, MemberSession, utcnow
from tests.support.case_studies import (
    ask,
    grant,
    publish,
    published_case_study,
    withdraw,
)
from tests.support.content import make_comment, make_post
from tests.support.people import post_form

CONVERSATION = {"comment", "comment_updated", "comment_deleted"}


def connect(app, browser=None, auth=None):
    client = socketio.test_client(app, flask_test_client=browser, auth=auth)
    assert client.is_connected()
    return client


def subscribed(app, post, browser=None, auth=None, **extra):
    client = connect(app, browser, auth)
    ack = client.emit("subscribe", {"post_id": post.id, "after": 0, **extra}, callback=True)
    assert ack["ok"], ack
    client.get_received()
    return client


def heard(client, names=CONVERSATION):
    return [(m["name"], m["args"][0]) for m in client.get_received() if m["name"] in names]


def fresh(member):
    return db.session.get(Member, member.id)


# Item 1: rooms follow access ---------------------------------------------------------------


@pytest.mark.both_databases
def test_a_visitor_stops_hearing_a_post_the_moment_it_becomes_members_only(
    app, customer, employee, as_member
):
    from network.posts import service

    post = make_post(app, customer, body="Open question")
    visitor = subscribed(app, post)
    feed_card = subscribed(app, post, listen_only=True)  # the home feed listens too
    colleague = subscribed(app, post, as_member(employee))
    with app.test_request_context():
        service.edit_post(
            fresh(customer),
            post.id,
            version=1,
            title=None,
            body="Now for members",
            visibility="members",
        )
    for outsider in (visitor, feed_card):
        assert heard(outsider, {"post_hidden"}) == [("post_hidden", {"post_id": post.id})]
    assert heard(colleague, {"post_hidden"}) == []
    make_comment(app, employee, post, "members only words")
    assert heard(visitor) == [] and heard(feed_card) == []
    assert [body["body"] for _name, body in heard(colleague)] == ["members only words"]
    # Its next re-sync is refused too: the join re-checks access.
    again = visitor.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
    assert again["error"]["code"] == "not_found"


def test_hiding_a_post_leaves_only_its_author_and_moderators_listening(
    app, customer, employee, moderator, as_member
):
    from network.posts import service

    post = make_post(app, customer)
    visitor = subscribed(app, post)
    colleague = subscribed(app, post, as_member(employee))
    author = subscribed(app, post, as_member(customer))
    watching_moderator = subscribed(app, post, as_member(moderator))
    with app.test_request_context():
        service.set_post_hidden(fresh(moderator), post.id, True)
    for outsider in (visitor, colleague):
        assert heard(outsider, {"post_hidden"}) == [("post_hidden", {"post_id": post.id})]
    for insider in (author, watching_moderator):
        assert heard(insider, {"post_hidden"}) == []
    with app.test_request_context():
        service.set_post_hidden(fresh(moderator), post.id, False)
    make_comment(app, employee, post, "after the restore")
    assert heard(visitor) == [] and heard(colleague) == []  # they come back by subscribing
    for insider in (author, watching_moderator):
        assert [body["body"] for _name, body in heard(insider)] == ["after the restore"]


def test_a_deleted_post_sends_nothing_more_to_anyone(app, customer, moderator, as_member):
    from network.posts import service
    from network.realtime.rooms import post_room

    post = make_post(app, customer)
    author = subscribed(app, post, as_member(customer))
    watching_moderator = subscribed(app, post, as_member(moderator))
    with app.test_request_context():
        service.delete_post(fresh(customer), post.id)
    for client in (author, watching_moderator):
        assert heard(client, {"post_hidden"}) == [("post_hidden", {"post_id": post.id})]
    # Whatever is sent to the post's room from now on reaches no socket.
    assert list(socketio.server.manager.get_participants("/", post_room(post.id))) == []


def test_presence_forgets_the_evicted(app, customer, employee, as_member):
    from network.posts import service

    post = make_post(app, customer)
    colleague = subscribed(app, post, as_member(employee))
    subscribed(app, post)  # a visitor, counted as a viewer
    with app.test_request_context():
        service.edit_post(
            fresh(customer), post.id, version=1, title=None, body="Members", visibility="members"
        )
    presence = heard(colleague, {"presence"})
    assert presence[-1][1] == {"post_id": post.id, "viewers": 1, "staff": ["emma"]}


@pytest.mark.both_databases
@pytest.mark.parametrize("moment", ["after its session check", "after it read the post"])
def test_a_post_hidden_while_a_socket_subscribes_is_never_heard(
    app, customer, employee, moderator, as_member, moment
):
    """The race the join order closes: a moderator hides the post while a colleague's subscribe
    is being answered. Either the subscribe's own check sees the change, or the eviction finds
    the socket already in the room; never may it stay there."""
    import threading

    from network.posts import service
    from network.realtime.rooms import post_room

    post = make_post(app, customer)
    colleague = connect(app, as_member(employee))
    fired = []

    def hide_elsewhere():
        # Another request (another thread, its own session) commits meanwhile.
        with app.test_request_context():
            service.set_post_hidden(fresh(moderator), post.id, True)

    def meanwhile(_conn, _cursor, statement, *_args):
        if fired or threading.current_thread().name != "MainThread":
            return
        wanted = "FROM member_session" if moment == "after its session check" else "FROM post"
        if wanted in statement:
            fired.append(statement)
            worker = threading.Thread(target=hide_elsewhere, name="elsewhere")
            worker.start()
            worker.join(timeout=30)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", meanwhile)
    try:
        ack = colleague.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
    finally:
        event.remove(engine, "after_cursor_execute", meanwhile)
    assert fired
    told = heard(colleague, {"post_hidden"}) == [("post_hidden", {"post_id": post.id})]
    assert told or ack["error"]["code"] == "not_found"
    assert list(socketio.server.manager.get_participants("/", post_room(post.id))) == []


def test_case_study_watchers_outside_a_narrower_audience_are_told_and_leave(
    app, customer, employee, intruder, as_member
):
    from network.case_studies import authoring

    case_study_id = published_case_study(app, employee, customer)
    visitor = connect(app)
    member = connect(app, as_member(intruder))
    for client in (visitor, member):
        ack = client.emit("watch_case_study", {"case_study_id": case_study_id}, callback=True)
        assert ack == {"ok": True}
        client.get_received()
    # A new revision goes out to members only.
    from tests.support.case_studies import draft

    with app.app_context():
        authoring.revise(fresh(employee), case_study_id, draft(title="For members now"))
    ask(app, employee, case_study_id)
    grant(app, customer, case_study_id, audience="members")
    publish(app, employee, case_study_id)
    gone = ("case_study_withdrawn", {"id": case_study_id})
    assert heard(visitor, {"case_study_withdrawn"}) == [gone]
    assert heard(member, {"case_study_withdrawn"}) == []
    withdraw(app, customer, case_study_id)
    assert heard(member, {"case_study_withdrawn"}) == [gone]
    assert heard(visitor, {"case_study_withdrawn"}) == []  # it left the room at the first change


def test_a_withdrawn_case_study_keeps_only_its_staff_in_the_room(
    app, customer, employee, intruder, as_member
):
    from network.realtime import connections
    from network.realtime.rooms import case_study_room

    case_study_id = published_case_study(app, employee, customer)
    member = connect(app, as_member(intruder))
    staff = connect(app, as_member(employee))
    for client in (member, staff):
        client.emit("watch_case_study", {"case_study_id": case_study_id}, callback=True)
    withdraw(app, customer, case_study_id)
    with app.app_context():
        still = {c.member_id for c in connections.listening_to(case_study_room(case_study_id))}
    assert still == {employee.id}


# Item 2: a socket lives as long as its credential ------------------------------------------


def test_revoking_a_token_closes_its_sockets_at_once(app, customer, as_member):
    from network.accounts.tokens import create_api_token

    with app.app_context():
        bot_token, bot_raw = create_api_token(fresh(customer), "bot")
        bot_token_id = bot_token.id
        _other, other_raw = create_api_token(fresh(customer), "backup")
    post = make_post(app, customer, visibility="members")
    bot = subscribed(app, post, auth={"token": bot_raw})
    backup = subscribed(app, post, auth={"token": other_raw})
    browser = as_member(customer)
    revoked = post_form(
        browser, f"/settings/tokens/{bot_token_id}/revoke", token_from="/settings/tokens"
    )
    assert revoked.status_code == 302
    assert not bot.is_connected()
    assert backup.is_connected()  # another token of the same member goes on
    refused = socketio.test_client(app, auth={"token": bot_raw})
    assert not refused.is_connected()


@pytest.mark.both_databases
def test_a_token_revoked_by_another_process_writes_nothing_and_hears_nothing(
    app, customer, employee, as_member
):
    from network.accounts.tokens import create_api_token
    from network.models import Comment

    with app.app_context():
        token, raw = create_api_token(fresh(customer), "bot")
        token_id = token.id
    post = make_post(app, customer)
    bot = subscribed(app, post, auth={"token": raw})
    # Revoked where this process's registry cannot see it (another server process).
    with app.app_context(), write_transaction() as session:
        session.execute(update(ApiToken).where(ApiToken.id == token_id).values(revoked_at=utcnow()))
    ack = bot.emit("comment", {"post_id": post.id, "body": "still here?"}, callback=True)
    assert ack["error"]["code"] == "unauthorized"
    assert not bot.is_connected()
    with app.app_context():
        assert db.session.query(Comment).filter_by(post_id=post.id).count() == 0
    # Closed, it is out of the member's room: their notifications reach it no more.
    from network.realtime.rooms import member_room

    assert list(socketio.server.manager.get_participants("/", member_room(customer.id))) == []


def test_an_expired_browser_session_ends_its_socket_at_the_next_event(app, customer, as_member):
    socket = connect(app, as_member(customer))
    with app.app_context(), write_transaction() as session:
        session.execute(
            update(MemberSession)
            .where(MemberSession.member_id == customer.id)
            .values(expires_at=utcnow())
        )
    post = make_post(app, customer)
    ack = socket.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
    assert ack["error"]["code"] == "unauthorized"
    assert not socket.is_connected()


def test_ending_a_session_from_the_sessions_page_closes_its_socket(app, customer, as_member):
    from network.accounts import sessions

    laptop, phone = as_member(customer), as_member(customer)
    laptop_socket, phone_socket = connect(app, laptop), connect(app, phone)
    with app.app_context():
        laptop_row = min(
            r.id for r in db.session.query(MemberSession).filter_by(member_id=customer.id)
        )
        sessions.end_own_session(fresh(customer), laptop_row)  # the laptop signed in first
    assert not laptop_socket.is_connected()
    assert phone_socket.is_connected()
    with app.app_context():
        assert sessions.end_other_sessions(fresh(customer), keep_key=None) == 1
    assert not phone_socket.is_connected()


def test_pages_the_api_and_sockets_share_one_liveness_rule(app, customer, as_member):
    """A pending member keeps a browser session (to see that they wait), never a working token."""
    from network import liveness
    from network.accounts.tokens import create_api_token
    from network.models import MemberStatus

    with app.app_context():
        _token, raw = create_api_token(fresh(customer), "bot")
    bot = connect(app, auth={"token": raw})
    with app.app_context(), write_transaction() as session:
        session.execute(
            update(Member).where(Member.id == customer.id).values(status=MemberStatus.pending)
        )
    assert MemberStatus.pending in liveness.SESSION_STATUSES
    ack = bot.emit("subscribe", {"post_id": 1, "after": 0}, callback=True)
    assert ack["error"]["code"] == "unauthorized"
    answer = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 401


# The quiet subscribe ---------------------------------------------------------------------


@pytest.mark.parametrize("at_statement", [1, 2, 3, 4, 5, 6])
def test_a_tab_that_leaves_during_subscribe_logs_no_traceback(
    app, customer, employee, as_member, caplog, at_statement
):
    """The tab closes while its subscribe is answered, at each SQL statement in turn."""
    post = make_post(app, customer)
    make_comment(app, employee, post, "a comment to replay")
    watcher = subscribed(app, make_post(app, employee), as_member(employee))
    tab = connect(app, as_member(customer))
    seen = []

    def tab_closes(*_args):
        seen.append(True)
        if len(seen) == at_statement and tab.is_connected():
            tab.disconnect()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", tab_closes)
    caplog.set_level(logging.INFO)
    try:
        tab.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
    finally:
        event.remove(engine, "before_cursor_execute", tab_closes)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    from network.realtime import connections
    from network.realtime.rooms import post_room

    with app.app_context():
        assert connections.listening_to(post_room(post.id)) == []
    assert watcher.is_connected()


# What it costs -----------------------------------------------------------------------------


def test_a_comment_costs_the_same_queries_for_one_listener_or_thirty(
    app, customer, employee, member_factory, as_member, count_queries
):
    """No access check per recipient per event: rooms are kept right at join and on change."""
    post = make_post(app, customer, visibility="members")
    subscribed(app, post, as_member(employee))
    with count_queries() as alone:
        make_comment(app, employee, post, "to one")
    for number in range(29):
        reader = member_factory(handle=f"reader{number}", email=f"reader{number}@example.com")
        subscribed(app, post, auth={"token": _token(app, reader)})
    with count_queries() as crowded:
        make_comment(app, employee, post, "to thirty")
    assert crowded.count == alone.count


def test_an_eviction_costs_a_fixed_number_of_queries_whatever_the_crowd(
    app, customer, member_factory, as_member, count_queries
):
    from network.realtime import access

    small, big = make_post(app, customer), make_post(app, customer)
    subscribed(app, small, auth={"token": _token(app, customer)})
    for number in range(30):
        reader = member_factory(handle=f"reader{number}", email=f"reader{number}@example.com")
        token = _token(app, reader)
        subscribed(app, big, auth={"token": token})
        subscribed(app, big)  # and as many visitors
    with app.test_request_context(), count_queries() as few:
        access.post_access_changed(small.id)
    with app.test_request_context(), count_queries() as many:
        access.post_access_changed(big.id)
    assert many.count == few.count


def _token(app, member):
    from network.accounts.tokens import create_api_token

    with app.app_context():
        return create_api_token(fresh(member), "reader")[1]
