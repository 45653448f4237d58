"""Case studies: each transition and refusal of the write path, and the surfaces it feeds.

Issue 10.

SEC-51: a case study appears only within the scopes its customer granted to
the exact revision shown; withdrawal and expiry remove it everywhere at once.
Pages and the API have their own tests (test_case_study_pages.py,
test_api_case_studies.py); this file covers the service, the feed and front
page strips, Atom, the sitemap, realtime, run-jobs and the consent log.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from network import pagination
from network.case_studies import access, authoring, consent, consent_log
from network.database import write_transaction
from network.exceptions import Conflict, Forbidden, Invalid, NotFound
from network.extensions import db, socketio
from network.models import (
    CaseStudy,
    CaseStudyConsent,
    CaseStudyRevision,
    ConsentEvent,
    Member,
    MemberStatus,
    Notification,
    Role,
    utcnow,
)
from tests.support.case_studies import (
    COMPANY,
    PRIVATE_SCOPES,
    ask,
    current_hash,
    draft,
    grant,
    make_case_study,
    opt_in,
    publish,
    published_case_study,
    withdraw,
)

NAME_TRACES = ("Carla", "carla", "Customer 1")  # the fixture's display name, handle


def fresh(member):
    return db.session.get(Member, member.id)


def status_of(app, case_study_id):
    with app.app_context():
        return db.session.get(CaseStudy, case_study_id).status.value


def log_actions(app, case_study_id):
    with app.app_context():
        return [entry.action.value for entry in consent_log.entries(case_study_id)]


def anonymous_story(app, employee, customer, **scopes):
    return published_case_study(
        app, employee, customer, **{**PRIVATE_SCOPES, "audience": "public", **scopes}
    )


# Opt-in and drafting ---------------------------------------------------------------------------


def test_a_case_study_about_a_customer_who_did_not_opt_in_is_refused(app, customer, employee):
    with app.app_context(), pytest.raises(Invalid) as refused:
        authoring.create(fresh(employee), customer.handle, draft())
    assert refused.value.field == "customer" and "open to case studies" in refused.value.message


def test_only_staff_write_case_studies_and_only_about_customers(
    app, customer, employee, intruder, moderator
):
    opt_in(app, customer)
    with app.app_context():
        for outsider in (intruder, moderator):
            with pytest.raises(Forbidden):
                authoring.create(fresh(outsider), customer.handle, draft())
        with pytest.raises(Invalid) as refused:
            authoring.create(fresh(employee), employee.handle, draft())
        assert refused.value.field == "customer"


def test_only_customers_can_opt_in(app, employee):
    from network.profiles import service as profiles

    with app.app_context(), pytest.raises(Invalid):
        profiles.set_open_to_case_studies(fresh(employee), True)


def test_every_save_is_a_revision_with_its_own_hash_and_state(app, customer, employee):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    first = current_hash(app, case_study_id)
    with app.app_context():
        authoring.revise(fresh(employee), case_study_id, draft(title="Bread at dawn"))
        authoring.revise(fresh(employee), case_study_id, draft(title="Bread at dawn"))  # a retry
        revisions = list(
            db.session.scalars(
                select(CaseStudyRevision)
                .where(CaseStudyRevision.case_study_id == case_study_id)
                .order_by(CaseStudyRevision.number)
            )
        )
    assert [r.number for r in revisions] == [1, 2]
    assert [r.state.value for r in revisions] == ["superseded", "draft"]
    assert revisions[0].content_hash == first != revisions[1].content_hash
    assert len(first) == 64


def test_a_stale_edit_is_a_conflict_not_an_overwrite(app, customer, employee):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    base = current_hash(app, case_study_id)
    with app.app_context():
        authoring.revise(
            fresh(employee), case_study_id, draft(title="First edit"), base_revision=base
        )
        with pytest.raises(Conflict):
            authoring.revise(
                fresh(employee), case_study_id, draft(title="Second edit"), base_revision=base
            )


def test_figures_are_kept_apart_and_checked(app, customer, employee):
    opt_in(app, customer)
    with app.app_context():
        for figures in ("12%", [{"label": "x"}], [{"label": "a", "value": "1", "color": "red"}]):
            with pytest.raises(Invalid) as refused:
                authoring.create(fresh(employee), customer.handle, draft(figures=figures))
            assert refused.value.field == "figures"


def test_a_retried_create_with_one_key_makes_one_case_study(app, customer, employee):
    opt_in(app, customer)
    with app.app_context():
        first = authoring.create(fresh(employee), customer.handle, draft(), key="retry-key-123")
        second = authoring.create(fresh(employee), customer.handle, draft(), key="retry-key-123")
        assert first.id == second.id
        assert db.session.scalar(select(db.func.count(CaseStudy.id))) == 1


# Consent ------------------------------------------------------------------------------------


def test_publishing_needs_the_customers_consent_to_that_revision(app, customer, employee):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    with app.app_context(), pytest.raises(Conflict):
        consent.publish(fresh(employee), case_study_id)
    ask(app, employee, case_study_id)
    with app.app_context(), pytest.raises(Conflict):
        consent.publish(fresh(employee), case_study_id)
    grant(app, customer, case_study_id)
    assert status_of(app, case_study_id) == "approved"
    publish(app, employee, case_study_id)
    assert status_of(app, case_study_id) == "published"
    assert log_actions(app, case_study_id) == ["requested", "granted", "published"]


def test_only_the_named_customer_can_answer(app, customer, employee, intruder, admin):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    revision = ask(app, employee, case_study_id)
    scopes = {**PRIVATE_SCOPES}
    with app.app_context():
        with pytest.raises(NotFound):
            consent.grant_consent(fresh(intruder), case_study_id, revision, scopes)
        with pytest.raises(NotFound):
            consent.request_changes(fresh(intruder), case_study_id, "Change it")
        with pytest.raises(NotFound):
            consent.withdraw(fresh(intruder), case_study_id)
        for staff in (employee, admin):  # the issue: anyone but the customer gets 404
            with pytest.raises(NotFound):
                consent.grant_consent(fresh(staff), case_study_id, revision, scopes)
            with pytest.raises(NotFound):
                consent.withdraw(fresh(staff), case_study_id)
    assert status_of(app, case_study_id) == "awaiting_consent"


def test_the_customer_sees_nothing_before_it_is_sent(app, customer, employee):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    with app.app_context(), pytest.raises(NotFound):
        access.view(fresh(customer), case_study_id)
    ask(app, employee, case_study_id)
    with app.app_context():
        assert access.view(fresh(customer), case_study_id).workings


def test_consent_to_a_revision_that_is_not_the_current_one_is_a_conflict(app, customer, employee):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    shown = ask(app, employee, case_study_id)
    with app.app_context():
        authoring.revise(fresh(employee), case_study_id, draft(results="Downtime fell by half."))
        consent.request_consent(fresh(employee), case_study_id)
        with pytest.raises(Conflict):
            consent.grant_consent(fresh(customer), case_study_id, shown, PRIVATE_SCOPES)


def test_asking_for_changes_goes_back_to_the_staff(app, customer, employee):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    ask(app, employee, case_study_id)
    with app.app_context():
        with pytest.raises(Invalid):
            consent.request_changes(fresh(customer), case_study_id, "   ")
        consent.request_changes(fresh(customer), case_study_id, "Please drop the oven count.")
        kinds = db.session.scalars(
            select(Notification.kind).where(Notification.member_id == employee.id)
        ).all()
    assert status_of(app, case_study_id) == "changes_requested"
    assert [kind.value for kind in kinds] == ["consent_changes"]
    with app.app_context():
        [_, changes] = consent_log.entries(case_study_id)
        assert changes.details == {"comment": "Please drop the oven count."}


def test_the_request_notifies_the_customer_and_the_grant_the_staff(app, customer, employee):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    ask(app, employee, case_study_id)
    grant(app, customer, case_study_id)
    with app.app_context():

        def kinds(member):
            return [
                n.kind.value
                for n in db.session.scalars(
                    select(Notification).where(Notification.member_id == member.id)
                )
            ]

        assert kinds(customer) == ["consent_request"]
        assert kinds(employee) == ["consent_granted"]


# The name-leak guard ------------------------------------------------------------------------


def _asked(app, employee, customer, **story):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer, **story)
    return case_study_id, ask(app, employee, case_study_id)


def test_anonymous_is_refused_while_the_text_names_the_customer_and_says_where(
    app, customer, employee
):
    case_study_id, revision = _asked(
        app, employee, customer, solution="Carla rebuilt the morning shift."
    )
    with app.app_context(), pytest.raises(Invalid) as refused:
        consent.grant_consent(fresh(customer), case_study_id, revision, PRIVATE_SCOPES)
    assert refused.value.field == "name"
    assert "“Carla”" in refused.value.message and "Solution" in refused.value.message
    assert "rebuilt the morning shift" in refused.value.message
    assert status_of(app, case_study_id) == "awaiting_consent"


def test_each_place_is_reported_once_and_a_long_list_is_cut(app, member_factory, employee):
    jake = member_factory(role=Role.customer, handle="jake", display_name="Jake Miller")
    case_study_id, revision = _asked(
        app, employee, jake, challenge="Jake Miller came first. Later the Miller family came too."
    )
    with app.app_context(), pytest.raises(Invalid) as refused:
        consent.grant_consent(fresh(jake), case_study_id, revision, PRIVATE_SCOPES)
    message = refused.value.message
    assert message.count("” appears in ") == 2  # "Jake Miller" once, then the lone "Miller"
    assert "“Jake Miller”" in message and "“Miller”" in message and "“Jake”" not in message
    wordy, revision2 = _asked(app, employee, jake, results=" ".join(["Jake Miller."] * 9))
    with app.app_context(), pytest.raises(Invalid) as refused:
        consent.grant_consent(fresh(jake), wordy, revision2, PRIVATE_SCOPES)
    assert refused.value.message.count("” appears in ") == 5
    assert "and 4 more places" in refused.value.message


def test_the_handle_in_a_hidden_quote_does_not_leak_but_a_shown_one_does(app, customer, employee):
    case_study_id, revision = _asked(app, employee, customer, quote="Thanks from @carla!")
    with app.app_context():
        with pytest.raises(Invalid) as refused:
            consent.grant_consent(
                fresh(customer), case_study_id, revision, {**PRIVATE_SCOPES, "quote": True}
            )
        assert "Quote" in refused.value.message
        consent.grant_consent(fresh(customer), case_study_id, revision, PRIVATE_SCOPES)
    assert status_of(app, case_study_id) == "approved"


def test_a_hidden_company_is_refused_while_the_text_names_it(app, customer, employee):
    case_study_id, revision = _asked(
        app, employee, customer, results=f"Today {COMPANY.upper()} opens at six."
    )
    with app.app_context(), pytest.raises(Invalid) as refused:
        consent.grant_consent(
            fresh(customer), case_study_id, revision, {**PRIVATE_SCOPES, "name": "full"}
        )
    assert refused.value.field == "company" and "Results" in refused.value.message


def test_an_industry_description_must_not_name_the_company(app, customer, employee):
    case_study_id, revision = _asked(app, employee, customer)
    scopes = {**PRIVATE_SCOPES, "company": "industry", "industry": f"{COMPANY} and friends"}
    with app.app_context(), pytest.raises(Invalid) as refused:
        consent.grant_consent(fresh(customer), case_study_id, revision, scopes)
    assert refused.value.field == "company"


def test_first_name_and_initial_allows_the_first_name_but_not_the_last(
    app, member_factory, employee
):
    dana = member_factory(role=Role.customer, handle="dana", display_name="Dana Whitfield")
    case_study_id, revision = _asked(app, employee, dana, challenge="Dana ran forty ovens.")
    scopes = {**PRIVATE_SCOPES, "name": "initial"}
    with app.app_context():
        consent.grant_consent(fresh(dana), case_study_id, revision, scopes)
    second, revision2 = _asked(app, employee, dana, challenge="The Whitfield ovens failed.")
    with app.app_context(), pytest.raises(Invalid):
        consent.grant_consent(fresh(dana), second, revision2, scopes)


def test_a_logo_needs_the_company_name_and_a_named_company_needs_one(app, customer, employee):
    case_study_id, revision = _asked(app, employee, customer)
    with app.app_context():
        with pytest.raises(Invalid) as refused:
            consent.grant_consent(
                fresh(customer), case_study_id, revision, {**PRIVATE_SCOPES, "logo": True}
            )
        assert refused.value.field == "logo"
    opt_in(app, customer, company=None)
    with app.app_context(), pytest.raises(Invalid) as refused:
        consent.grant_consent(
            fresh(customer), case_study_id, revision, {**PRIVATE_SCOPES, "company": "name"}
        )
    assert refused.value.field == "company"


@pytest.mark.parametrize(
    ("scopes", "field"),
    [
        ({"name": "nickname"}, "name"),
        ({"audience": "everyone"}, "audience"),
        ({"expires_on": "next week"}, "expires_on"),
        ({"expires_on": "2001-01-01"}, "expires_on"),
        ({"quote": "maybe"}, "quote"),
        ({"company": "industry", "industry": ""}, "industry"),
    ],
)
def test_bad_scopes_are_refused_by_field(app, customer, employee, scopes, field):
    case_study_id, revision = _asked(app, employee, customer)
    with app.app_context(), pytest.raises(Invalid) as refused:
        consent.grant_consent(
            fresh(customer), case_study_id, revision, {**PRIVATE_SCOPES, **scopes}
        )
    assert refused.value.field == field


# Edits after consent ----------------------------------------------------------------------------


def test_an_edit_after_consent_leaves_the_approved_text_published(
    app, customer, employee, intruder
):
    case_study_id = published_case_study(app, employee, customer)
    with app.app_context():
        authoring.revise(fresh(employee), case_study_id, draft(title="A new headline"))
        consent.request_consent(fresh(employee), case_study_id)
        seen = access.view(fresh(intruder), case_study_id)
        assert seen.published.title == "Fresh bread before sunrise"
        assert seen.current is None and not seen.workings
        assert access.view(None, case_study_id).published.title == "Fresh bread before sunrise"
        staff_view = access.view(fresh(employee), case_study_id)
        assert staff_view.current.title == "A new headline"
        assert access.view(fresh(customer), case_study_id).current.title == "A new headline"
        with pytest.raises(Conflict):
            consent.publish(fresh(employee), case_study_id)
    assert status_of(app, case_study_id) == "published"
    grant(app, customer, case_study_id)
    publish(app, employee, case_study_id)
    with app.app_context():
        assert access.view(None, case_study_id).published.title == "A new headline"
        consents = db.session.scalars(select(CaseStudyConsent).order_by(CaseStudyConsent.id)).all()
        assert [c.ended_at is not None for c in consents] == [True, False]


# Scopes on every surface -------------------------------------------------------------------------


def test_anonymous_scope_leaves_no_trace_of_the_customer_anywhere(
    app, client, customer, employee, intruder, as_member
):
    case_study_id = anonymous_story(app, employee, customer)
    with app.app_context():
        story = access.view(None, case_study_id).published
        assert story.customer_name == "A customer" and story.customer_handle is None
        assert story.company is None and story.quote is None and story.figures == []
        as_json = str(story.as_dict())
    pages = {
        "story": as_json,
        "atom": client.get("/posts.atom").get_data(as_text=True),
        "front": client.get("/").get_data(as_text=True),
        "feed": as_member(intruder).get("/feed").get_data(as_text=True),
    }
    for surface, body in pages.items():
        for trace in (*NAME_TRACES, COMPANY, "We have not missed a morning"):
            assert trace not in body, f"{trace!r} leaked on {surface}"
    assert "Fresh bread before sunrise" in pages["atom"]
    # The sitemap lists the story by its address alone (the customer's own public profile
    # is listed for itself, and says nothing of the story).
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    [entry] = [u for u in sitemap.split("<url>") if f"/case-studies/{case_study_id}<" in u]
    assert all(trace not in entry for trace in (*NAME_TRACES, COMPANY))
    assert "Fresh bread before sunrise" in pages["front"]
    assert "Fresh bread before sunrise" in pages["feed"]


def test_open_scopes_show_name_company_quote_and_figures(app, customer, employee):
    case_study_id = published_case_study(app, employee, customer)
    with app.app_context():
        story = access.view(None, case_study_id).published
    assert story.customer_name == "Carla Customer" and story.customer_handle == "carla"
    assert story.company == COMPANY and story.quote.startswith("We have not missed")
    assert story.figures == [{"label": "Downtime", "value": "-66", "unit": "%"}]


def test_first_name_and_initial_and_an_industry(app, member_factory, employee):
    dana = member_factory(role=Role.customer, handle="dana", display_name="Dana Whitfield")
    case_study_id = published_case_study(
        app, employee, dana, name="initial", company="industry", industry="a regional bakery"
    )
    with app.app_context():
        story = access.view(None, case_study_id).published
    assert (story.customer_name, story.company, story.customer_handle) == (
        "Dana W.",
        "a regional bakery",
        None,
    )


def test_members_only_stories_never_reach_visitors_or_public_feeds(
    app, client, customer, employee, intruder, as_member
):
    case_study_id = published_case_study(app, employee, customer, audience="members")
    with app.app_context():
        with pytest.raises(NotFound):
            access.view(None, case_study_id)
        assert access.view(fresh(intruder), case_study_id).published is not None
    for path in ("/posts.atom", "/sitemap.xml", "/"):
        assert "Fresh bread before sunrise" not in client.get(path).get_data(as_text=True), path
    assert "Fresh bread before sunrise" in as_member(intruder).get("/feed").get_data(as_text=True)


def test_an_intruder_sees_nothing_of_unpublished_work(app, customer, employee, intruder):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    ask(app, employee, case_study_id)
    grant(app, customer, case_study_id)
    with app.app_context():
        for viewer in (None, fresh(intruder)):
            with pytest.raises(NotFound):
                access.view(viewer, case_study_id)
        assert not access.sees_log(
            fresh(intruder), case_study_id and db.session.get(CaseStudy, case_study_id)
        )
        assert access.published_stories(fresh(intruder), 10) == []


# Withdrawal and expiry --------------------------------------------------------------------------


def test_withdrawal_removes_it_everywhere_and_only_a_new_consent_brings_it_back(
    app, client, customer, employee, intruder, as_member
):
    case_study_id = published_case_study(app, employee, customer)
    withdraw(app, customer, case_study_id)
    assert status_of(app, case_study_id) == "withdrawn"
    with app.app_context():
        for viewer in (None, fresh(intruder)):
            with pytest.raises(NotFound):
                access.view(viewer, case_study_id)
        assert access.view(fresh(customer), case_study_id).published is None
        assert access.view(fresh(employee), case_study_id).workings
        with pytest.raises(Conflict):
            consent.publish(fresh(employee), case_study_id)
    for path in ("/posts.atom", "/sitemap.xml", "/"):
        body = client.get(path).get_data(as_text=True)
        assert (
            "Fresh bread before sunrise" not in body
            and f"/case-studies/{case_study_id}" not in body
        )
    assert "Fresh bread before sunrise" not in as_member(intruder).get("/feed").get_data(
        as_text=True
    )
    # Back only through a new request and a new consent
    with app.app_context():
        authoring.revise(fresh(employee), case_study_id, draft(title="Bread, again"))
    ask(app, employee, case_study_id)
    grant(app, customer, case_study_id)
    publish(app, employee, case_study_id)
    with app.app_context():
        assert access.view(None, case_study_id).published.title == "Bread, again"
    assert log_actions(app, case_study_id) == [
        "requested",
        "granted",
        "published",
        "withdrawn",
        "requested",
        "granted",
        "published",
    ]


def test_withdrawal_tells_open_pages_visitors_included(
    app, customer, employee, as_member, intruder
):
    case_study_id = published_case_study(app, employee, customer)
    other = published_case_study(app, employee, customer)
    visitor = socketio.test_client(app)
    member = socketio.test_client(app, flask_test_client=as_member(intruder))
    for client in (visitor, member):
        ack = client.emit("watch_case_study", {"case_study_id": case_study_id}, callback=True)
        assert ack == {"ok": True}
        client.emit("watch_case_study", {"case_study_id": other}, callback=True)
        client.get_received()
    withdraw(app, customer, case_study_id)
    for client in (visitor, member):
        events = [(m["name"], m["args"][0]) for m in client.get_received()]
        assert events == [("case_study_withdrawn", {"id": case_study_id})]


def test_watching_needs_the_right_to_see_it(app, customer, employee):
    case_study_id = published_case_study(app, employee, customer, audience="members")
    visitor = socketio.test_client(app)
    for payload in ({"case_study_id": case_study_id}, {"case_study_id": "1"}, {}):
        ack = visitor.emit("watch_case_study", payload, callback=True)
        assert ack["ok"] is False


def _expire_consent_today(app, case_study_id):
    """Move the consent's end date to today, as if time had passed (the form refuses the past)."""
    with app.app_context(), write_transaction() as session:
        session.execute(
            update(CaseStudyConsent)
            .where(CaseStudyConsent.case_study_id == case_study_id)
            .values(expires_on=utcnow().date())
        )


def test_expiry_is_enforced_when_read_and_recorded_by_run_jobs(
    app, client, runner, customer, employee
):
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    case_study_id = published_case_study(app, employee, customer, expires_on=tomorrow)
    with app.app_context():
        assert access.view(None, case_study_id).published is not None
    _expire_consent_today(app, case_study_id)
    with app.app_context(), pytest.raises(NotFound):
        access.view(None, case_study_id)  # before any job ran
    assert "Fresh bread" not in client.get("/posts.atom").get_data(as_text=True)
    result = runner.invoke(args=["run-jobs"])
    assert result.exit_code == 0 and "1 expired" in result.output
    assert status_of(app, case_study_id) == "expired"
    assert log_actions(app, case_study_id)[-1] == "expired"
    with app.app_context():
        assert consent_log.entries(case_study_id)[-1].actor_name == "system"
    assert "0 expired" in runner.invoke(args=["run-jobs"]).output  # nothing twice


def test_staff_hear_of_an_ending_consent_fourteen_days_before_once(app, runner, customer, employee):
    in_ten_days = (utcnow() + timedelta(days=10)).date().isoformat()
    far = (utcnow() + timedelta(days=40)).date().isoformat()
    soon = published_case_study(app, employee, customer, expires_on=in_ten_days)
    published_case_study(app, employee, customer, expires_on=far)
    assert "1 expiry notices" in runner.invoke(args=["run-jobs"]).output
    assert "0 expiry notices" in runner.invoke(args=["run-jobs"]).output
    with app.app_context():
        notices = db.session.scalars(
            select(Notification).where(Notification.kind == "consent_expiring")
        ).all()
    assert [(n.member_id, n.case_study_id) for n in notices] == [(employee.id, soon)]


# The consent log ---------------------------------------------------------------------------------


@pytest.mark.both_databases
def test_the_consent_log_cannot_be_altered_or_deleted(app, customer, employee):
    case_study_id = published_case_study(app, employee, customer)
    with app.app_context():
        [first_id] = db.session.scalars(
            select(ConsentEvent.id).where(ConsentEvent.case_study_id == case_study_id).limit(1)
        ).all()
        statements = [
            update(ConsentEvent).where(ConsentEvent.id == first_id).values(action="withdrawn"),
            update(ConsentEvent).where(ConsentEvent.id == first_id).values(details={}),
            # The name may change only once the account is deleted
            update(ConsentEvent).where(ConsentEvent.id == first_id).values(actor_name="Nobody"),
            text("DELETE FROM consent_event"),
        ]
        for statement in statements:
            with pytest.raises(DBAPIError), write_transaction() as session:
                session.execute(statement)
        with pytest.raises(DBAPIError), write_transaction() as session:
            session.get(ConsentEvent, first_id).revision_hash = "0" * 64
        db.session.rollback()
        assert len(consent_log.entries(case_study_id)) == 3
    # The module's whole interface: it appends, reads and pseudonymises, nothing else.
    own = [
        name
        for name, value in vars(consent_log).items()
        if callable(value) and getattr(value, "__module__", None) == consent_log.__name__
    ]
    assert sorted(own) == ["append", "entries", "export", "pseudonymise", "serialize"]


@pytest.mark.both_databases
def test_a_deleted_actor_is_pseudonymised_never_deleted(app, customer, employee):
    case_study_id = published_case_study(app, employee, customer)
    with app.app_context():
        with pytest.raises(ValueError), write_transaction() as session:
            consent_log.pseudonymise(session, session.get(Member, customer.id))
        with write_transaction() as session:
            member = session.get(Member, customer.id)
            member.status = MemberStatus.deleted
            assert consent_log.pseudonymise(session, member) == 1
        names = [entry.actor_name for entry in consent_log.entries(case_study_id)]
    assert names == ["Emma Employee", f"Former member #{customer.id}", "Emma Employee"]


def test_the_log_records_grants_with_hash_scopes_and_expiry(app, customer, employee):
    future = (utcnow() + timedelta(days=60)).date().isoformat()
    case_study_id = published_case_study(app, employee, customer, expires_on=future)
    with app.app_context():
        granted = consent_log.entries(case_study_id)[1]
        assert granted.revision_hash == current_hash(app, case_study_id)
        assert granted.details["scopes"]["expires_on"] == future
        assert granted.details["scopes"]["name"] == "full"
        assert granted.actor_name == "Carla Customer"
        exported = consent_log.export(case_study_id)
    assert '"granted"' in exported and future in exported


def test_who_sees_the_log(app, customer, employee, member_factory, admin, intruder):
    other_employee = member_factory(role=Role.employee, handle="otto")
    case_study_id = published_case_study(app, employee, customer)
    with app.app_context():
        case_study = db.session.get(CaseStudy, case_study_id)
        seen = {
            member.handle: access.sees_log(fresh(member), case_study)
            for member in (customer, employee, admin, other_employee, intruder)
        }
        assert not access.sees_log(None, case_study)
    assert seen == {
        customer.handle: True,
        employee.handle: True,
        admin.handle: True,
        "otto": False,
        intruder.handle: False,
    }


def test_case_study_notifications_show_on_the_notifications_page(
    app, customer, employee, as_member
):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    ask(app, employee, case_study_id)
    page = as_member(customer).get("/notifications").get_data(as_text=True)
    assert f"/case-studies/{case_study_id}/review" in page
    assert "asks for your consent" in page


def test_published_stories_page_by_publication_without_gaps_or_repeats(
    app, customer, employee, intruder
):
    ids = [published_case_study(app, employee, customer) for _ in range(3)]
    # The oldest is republished after an edit: it moves to the top of the list.
    with app.app_context():
        authoring.revise(fresh(employee), ids[0], draft(title="Bread, revised"))
    ask(app, employee, ids[0])
    grant(app, customer, ids[0])
    publish(app, employee, ids[0])
    with app.app_context():
        first = access.published_rows(fresh(intruder), None, 2)
        rest = access.published_rows(fresh(intruder), pagination.decode(first.next_cursor), 2)
    assert [row[0].id for row in first.items + rest.items] == [ids[0], ids[2], ids[1]]
    assert rest.next_cursor is None
