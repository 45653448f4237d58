"""After-commit effects are signals: a failing subscriber never turns a write into an error.

Issue 17, item 3. A service commits, then sends a domain signal (network/signals.py);
realtime and notifications subscribe. These tests connect receivers that raise and
check that the comment, the consent and the answer all stand, that later receivers
still run, and that the failure is logged with the request id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from network import signals
from network.extensions import db
from network.logs import RequestIdFilter
from network.models import Comment, ConsentEvent, Notification, NotificationKind
from network.notifications import service as notifications
from tests.integration.test_comments import comment_on
from tests.support.api_client import api_fixture  # noqa: F401 (the `api` fixture)
from tests.support.case_studies import ask, current_hash, make_case_study, opt_in
from tests.support.content import make_post
from tests.support.pages import csrf_token


class Boom(RuntimeError):
    pass


@pytest.fixture
def failures() -> Iterator[list[logging.LogRecord]]:
    """The records the signals logger writes, with their request id."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("network.signals")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


@pytest.fixture
def receivers() -> Iterator[Any]:
    """`connect(signal, fn)` for the test only; disconnected afterwards."""
    connected: list[tuple[Any, Any]] = []

    def connect(signal: Any, receiver: Any) -> None:
        signal.connect(receiver)
        connected.append((signal, receiver))

    yield connect
    for signal, receiver in connected:
        signal.disconnect(receiver)


def test_a_failing_receiver_is_logged_and_the_next_one_still_runs(app, failures, receivers):
    heard: list[int] = []

    def fails(_sender: Any, **_payload: Any) -> None:
        raise Boom("the search index is down")

    receivers(signals.post_changed, fails)
    receivers(signals.post_changed, lambda _s, **payload: heard.append(payload["post_id"]))
    with app.test_request_context("/"):
        signals.send(signals.post_changed, post_id=7, narrowed=False)
    assert heard == [7]
    assert len(failures) == 1
    assert "post-changed" in failures[0].getMessage()
    assert failures[0].exc_info is not None and failures[0].exc_info[0] is Boom


def test_a_comment_stands_when_its_notifications_fail(
    app, customer, employee, as_member, failures, monkeypatch
):
    post = make_post(app, customer)

    def broken(_comment: Any) -> None:
        raise Boom("the notification insert failed")

    monkeypatch.setattr(notifications, "comment_added", broken)
    answer = comment_on(as_member(employee), post.id, "Here is how to do it.")
    assert answer.status_code == 302  # to the comment, not an error page
    with app.app_context():
        stored = db.session.query(Comment).filter_by(post_id=post.id).one()
        assert stored.body == "Here is how to do it."
        assert db.session.query(Notification).count() == 0
    assert len(failures) == 1
    request_id = answer.headers["X-Request-Id"]
    assert failures[0].request_id == request_id  # the log line names the request


def test_an_api_comment_stands_when_a_receiver_fails(
    app, customer, employee, api, failures, receivers
):
    post = make_post(app, customer)

    def fails(_sender: Any, **_payload: Any) -> None:
        raise Boom("mail queue full")

    receivers(signals.comment_created, fails)
    answer = api(employee).post(f"/api/v1/posts/{post.id}/comments", json={"body": "On it."})
    assert answer.status_code == 201
    assert answer.json["body"] == "On it."
    assert len(failures) == 1
    with app.app_context():  # the receivers that work still ran: the author was notified
        kinds = [n.kind for n in db.session.query(Notification).filter_by(member_id=customer.id)]
        assert kinds == [NotificationKind.reply_to_post]


def test_a_consent_request_stands_when_its_notice_fails(
    app, employee, customer, failures, receivers
):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)

    def fails(_sender: Any, **_payload: Any) -> None:
        raise Boom("notifier down")

    receivers(signals.consent_requested, fails)
    ask(app, employee, case_study_id)  # raises if the service answered with an error
    with app.app_context():
        actions = [
            e.action.value
            for e in db.session.query(ConsentEvent).filter_by(case_study_id=case_study_id)
        ]
        assert "requested" in actions
        assert current_hash(app, case_study_id)
    assert len(failures) == 1


def test_services_send_what_they_did(app, customer, employee, as_member, receivers):
    heard: list[tuple[str, Any]] = []
    receivers(signals.comment_created, lambda _s, comment: heard.append(("created", comment.id)))
    receivers(signals.post_changed, lambda _s, **p: heard.append(("post", p)))
    post = make_post(app, customer)
    comment_on(as_member(employee), post.id, "First!")
    with app.app_context():
        comment_id = db.session.query(Comment.id).filter_by(post_id=post.id).scalar()
    browser = as_member(customer)
    page = browser.get(f"/posts/{post.id}/delete").get_data(as_text=True)
    browser.post(f"/posts/{post.id}/delete", data={"csrf_token": csrf_token(page)})
    assert heard == [("created", comment_id), ("post", {"post_id": post.id, "narrowed": True})]
