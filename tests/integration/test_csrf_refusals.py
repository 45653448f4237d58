"""SEC-06, SEC-22, SEC-24: a write sent without a CSRF token is refused, never a 500.

Every write rule of the app (every POST, PUT, PATCH and DELETE in url_map, so
a new route is tried the day it is added) is sent a junk body with no token,
by a signed-out visitor, by the customer who owns the things the URL names,
and by an intruder who does not; once with the ids of real things and once
with ids that do not exist.  Each answer is a refusal from DESIGN.md's table
(the form again, with 422, where the view has one) and nothing is logged as
an error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from flask import Flask

from network.extensions import db
from network.models import Member, Role
from tests.support.case_studies import make_case_study, opt_in
from tests.support.content import make_comment, make_post
from tests.support.people import link_in, post_form

ABSENT = 999999
# What a refused write may answer (DESIGN.md): malformed, not signed in, not
# allowed, not visible, wrong state, too large, invalid (a form re-shown).
REFUSALS = {400, 401, 403, 404, 409, 413, 422}
# A signed-in member is sent away from the sign-up page before any form is read.
MEMBER_REFUSALS = REFUSALS | {302}
JUNK = {"x": "1", "body": "\x00" * 3, "version": "not-a-number"}


@pytest.fixture
def app_settings():
    # Answer an unexpected exception as production does (a logged 500), so one
    # broken route is reported among the others instead of stopping the run.
    return {"PROPAGATE_EXCEPTIONS": False}


class ErrorLog:
    """The ERROR records of the app's loggers, which do not propagate to the root."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self._caplog = caplog  # its list of records is replaced between test phases

    def __len__(self) -> int:
        return len(self._caplog.records)

    def since(self, start: int = 0) -> list[str]:
        records = self._caplog.records[start:]
        return [record.getMessage() for record in records if record.levelno >= logging.ERROR]


@pytest.fixture
def error_log(caplog) -> Iterator[ErrorLog]:
    logger = logging.getLogger("network")
    logger.addHandler(caplog.handler)
    yield ErrorLog(caplog)
    logger.removeHandler(caplog.handler)


@pytest.fixture
def real_ids(app: Flask, customer, employee, admin, as_member, outbox) -> dict[str, object]:
    """Real things the customer owns or is part of, one per URL variable of the app."""
    from network.accounts import invitations, registration, sessions, tokens

    post = make_post(app, customer, "Our espresso machine needs descaling")
    comment = make_comment(app, customer, post, "Every week, or it stops at 5 am")
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    as_member(customer)  # an open session of the customer's
    with app.test_request_context():
        carla = db.session.get(Member, customer.id)
        token, _raw = tokens.create_api_token(carla, "laptop")
        invitation, _raw = invitations.create(
            db.session.get(Member, admin.id), role=Role.customer, days=7, max_uses=1
        )
        session_id = sessions.open_sessions(carla)[0].id
        registration.request_password_reset(carla.email)  # a live link (a reset, not a setup)
        token_id, invitation_id = token.id, invitation.id
    return {
        "post_id": post.id,
        "comment_id": comment.id,
        "case_study_id": case_study_id,
        "member_id": customer.id,
        "session_id": session_id,
        "token_id": token_id,
        "invitation_id": invitation_id,
        "handle": customer.handle,
        "token": link_in(outbox[-1]).rsplit("/", 1)[1],
    }


def absent_ids(real: dict[str, object]) -> dict[str, object]:
    return {
        name: ABSENT if isinstance(value, int) else "nobody-by-this-name"
        for name, value in real.items()
    }


def write_requests(app: Flask, ids: dict[str, object]) -> list[tuple[str, str]]:
    """(method, path) for every write rule, its variables filled from `ids`."""
    requests = []
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods - {"GET", "HEAD", "OPTIONS"})
        if not methods:
            continue
        missing = set(rule.arguments) - set(ids)
        assert not missing, f"teach real_ids the URL variables {missing} of {rule.rule}"
        with app.test_request_context():
            path = rule.build({name: ids[name] for name in rule.arguments})[1]
        for method in methods:
            requests.append((method, path))
    return requests


def refusals_of(browser, requests, allowed, error_log) -> list[str]:
    wrong = []
    for method, path in requests:
        before = len(error_log)
        answer = browser.open(path, method=method, data=JUNK)
        errors = error_log.since(before)
        if answer.status_code not in allowed or errors:
            wrong.append(f"{method} {path} -> {answer.status_code} {errors}")
    return wrong


@pytest.mark.parametrize("which_ids", ["real", "absent"])
def test_a_signed_out_visitor_without_a_token_is_refused_everywhere(
    app, client, real_ids, error_log, which_ids
):
    ids = real_ids if which_ids == "real" else absent_ids(real_ids)
    requests = write_requests(app, ids)
    assert len(requests) > 60  # the whole app, not a sample
    assert refusals_of(client, requests, REFUSALS, error_log) == []


@pytest.mark.parametrize("which_ids", ["real", "absent"])
@pytest.mark.parametrize("person", ["customer", "intruder"])
def test_a_member_without_a_token_is_refused_everywhere(
    app, request, as_member, real_ids, error_log, person, which_ids
):
    ids = real_ids if which_ids == "real" else absent_ids(real_ids)
    browser = as_member(request.getfixturevalue(person))
    assert refusals_of(browser, write_requests(app, ids), MEMBER_REFUSALS, error_log) == []


def test_a_signed_out_visitor_posting_without_a_token_is_asked_to_sign_in(client, error_log):
    answer = client.post("/posts", data={"body": "Hello"})
    assert answer.status_code == 401
    assert error_log.since() == []


def test_an_intruder_editing_someone_elses_post_without_a_token_is_not_allowed(
    app, customer, intruder, as_member, error_log
):
    from network.models import Post

    post = make_post(app, customer, "Mine")
    answer = as_member(intruder).post(f"/posts/{post.id}/edit", data={"body": "Yours now"})
    assert answer.status_code == 403  # a public post: visible, not theirs to change
    assert error_log.since() == []
    with app.app_context():
        assert db.session.get(Post, post.id).body == "Mine"


def test_a_customer_whose_form_expired_gets_it_back_with_their_text(app, customer, as_member):
    answer = as_member(customer).post("/posts", data={"body": "Descaling every week helps"})
    assert answer.status_code == 422
    assert "Descaling every week helps" in answer.get_data(as_text=True)


def test_a_reset_form_sent_without_a_token_comes_back_and_the_link_still_works(
    client, customer, outbox, error_log
):
    post_form(client, "/reset", {"email": customer.email}, token_from="/reset")
    path = link_in(outbox[0])
    refused = client.post(path, data={"password": "a long and quiet river"})
    assert refused.status_code == 422
    assert client.get(path).status_code == 200  # the refusal did not spend the link
    assert error_log.since() == []
