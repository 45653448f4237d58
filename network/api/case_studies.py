"""Case studies: staff write and publish, the customer consents or withdraws, others read.

Who may see or do what is decided by network.case_studies (access and the
service; SEC-11, SEC-51): not visible is 404, visible but not yours to do is
403. Every answer is built by ``case_study_answer``: staff and the customer it
is about also get its workings (the current revision and the consent);
everyone else gets the story exactly as the customer's consent scopes it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from flask import Response, jsonify, request, url_for
from sqlalchemy import select

from network import pagination, times
from network.api import case_study_spec
from network.api.auth import api_member, caller, token_required
from network.api.blueprint import blueprint, idempotency_key
from network.api.errors import ApiError, from_service
from network.api.validation import check, json_body, path_id, query_int, query_text
from network.case_studies import access, authoring, consent_log, content, render, service
from network.case_studies import consent as consents
from network.exceptions import Conflict, Forbidden, NotFound
from network.extensions import db
from network.models import (
    CaseStudy,
    CaseStudyConsent,
    CaseStudyRevision,
    CaseStudyStatus,
    Member,
)

DEFAULT_LIMIT = 20
MAX_LIMIT = 200
CONTENT_FIELDS = ("title", *content.PROSE, "quote", "figures", "logo")


# The answer -------------------------------------------------------------------------------------


def case_study_answer(
    viewed: access.Viewed, consent: CaseStudyConsent | None = None
) -> dict[str, Any]:
    """A case study as this viewer may see it: the scoped story, plus workings for those allowed.

    With name "anonymous", nothing here outside the workings names the customer.
    ``consent`` is the one it is published under, when the caller has it at hand.
    """
    case_study = viewed.case_study
    status = case_study.status
    if status == CaseStudyStatus.published and viewed.published is None:
        status = CaseStudyStatus.expired  # its consent ended today; run-jobs has not caught up
    answer: dict[str, Any] = {
        "id": case_study.id,
        "status": status.value,
        "published_revision": _published_hash(viewed),
        "story": viewed.published.as_dict() if viewed.published is not None else None,
        "url": f"/case-studies/{case_study.id}",
    }
    if viewed.workings and viewed.current is not None:
        consent = consent or access.consent_shown(case_study)
        answer |= {
            "customer": viewed.customer.handle,
            "revision": viewed.current.content_hash,
            "current_revision": _revision(viewed.current),
            "consent": _consent(consent) if consent is not None else None,
        }
    return answer


def _published_hash(viewed: access.Viewed) -> str | None:
    revision_id = viewed.case_study.published_revision_id
    if revision_id is None:
        return None
    if viewed.published is not None:
        return viewed.published.revision_hash
    if viewed.current is not None and viewed.current.id == revision_id:
        return viewed.current.content_hash
    return db.session.get(CaseStudyRevision, revision_id).content_hash


def _revision(revision: CaseStudyRevision) -> dict[str, Any]:
    return {
        "hash": revision.content_hash,
        "number": revision.number,
        "state": revision.state.value,
        **{name: getattr(revision, name) for name in CONTENT_FIELDS},
        "figures": list(revision.figures or []),
    }


def _consent(consent: CaseStudyConsent) -> dict[str, Any]:
    return {
        "revision": consent.content_hash,
        **consent.scopes(),
        "identifying_words": list(consent.identifying_words or []),
        "granted_at": times.rfc3339(consent.granted_at),
        "ended_at": times.rfc3339(consent.ended_at),
    }


def _answer_for(member: Any, case_study_id: int) -> dict[str, Any]:
    return case_study_answer(access.view(member, case_study_id))


def _act(member: Member, case_study_id: int, action: Callable[[], CaseStudy]) -> Response:
    """Run a transition; a 409 carries the case study as it is now, as this caller sees it."""
    try:
        case_study = action()
    except Conflict as error:
        try:
            current = _answer_for(member, case_study_id)
        except NotFound:
            current = None
        raise from_service(error, current=current) from None
    return jsonify(_answer_for(member, case_study.id))


# Request bodies ---------------------------------------------------------------------------------


def _checked_figures(data: dict[str, Any]) -> dict[str, Any]:
    """Each figure against its schema (validation.py checks only the top level).

    What is not an object at all is left to the content rules, which refuse it.
    A refusal names the field `figures`; its message names the part.
    """
    for figure in data.get("figures") or []:
        if isinstance(figure, dict):
            try:
                check(case_study_spec.FIGURE, figure)
            except ApiError as error:
                error.field = "figures"
                raise
    return data


def _may_act(
    member: Member, case_study_id: int, *, as_staff: bool = False, as_subject: bool = False
) -> access.Viewed:
    """Who may act, decided before any word on the body (SEC-11).

    Not visible to them: 404. Visible (a published story) but staff's to change:
    403. The customer's answers are the customer's alone: 404 to anyone else.
    """
    viewed = access.view(member, case_study_id)
    if as_subject and not (viewed.workings and access.is_subject(member, viewed.case_study)):
        raise NotFound(access.NOT_FOUND)
    if as_staff and viewed.current is None:
        raise Forbidden(service.ONLY_STAFF)
    return viewed


def _optional_body(schema: dict[str, Any]) -> dict[str, Any]:
    """A body that may be left out altogether; when sent, it is checked like any other."""
    if not request.get_data(cache=True):
        return {}
    return json_body(schema)


# Staff: write, ask, publish ---------------------------------------------------------------------


@blueprint.post("/case-studies")
@token_required
def create_case_study() -> tuple[Response, int, dict[str, str]]:
    """A draft about an opted-in customer; a retried Idempotency-Key answers the first again."""
    member = caller()
    if not access.is_staff(member):
        raise Forbidden(service.ONLY_STAFF)  # before any word on the body (SEC-11)
    data = _checked_figures(json_body(case_study_spec.NEW_CASE_STUDY))
    customer = data.pop("customer")
    draft = content.Draft(**data)
    case_study = authoring.create(member, customer, draft, key=idempotency_key())
    location = url_for("api.case_study", case_study_id=case_study.id)
    return jsonify(_answer_for(member, case_study.id)), 201, {"Location": location}


@blueprint.patch("/case-studies/<int:case_study_id>")
@token_required
def revise_case_study(case_study_id: int) -> Response:
    """A new revision: the fields sent over the current ones; 409 when `base_revision` is stale."""
    member = caller()
    case_study_id = path_id(case_study_id)
    viewed = _may_act(member, case_study_id, as_staff=True)
    data = _checked_figures(json_body(case_study_spec.CASE_STUDY_CHANGES))
    base_revision = data.pop("base_revision", None)
    draft = dataclasses.replace(content.as_draft(viewed.current), **data)
    return _act(
        member,
        case_study_id,
        lambda: authoring.revise(member, case_study_id, draft, base_revision=base_revision),
    )


@blueprint.post("/case-studies/<int:case_study_id>/request-consent")
@token_required
def ask_consent(case_study_id: int) -> Response:
    """Send the current revision to the customer (staff)."""
    member = caller()
    case_study_id = path_id(case_study_id)
    _may_act(member, case_study_id, as_staff=True)
    revision = _optional_body(case_study_spec.CONSENT_REQUEST).get("revision")
    return _act(
        member,
        case_study_id,
        lambda: consents.request_consent(member, case_study_id, revision=revision),
    )


@blueprint.post("/case-studies/<int:case_study_id>/publish")
@token_required
def publish_case_study(case_study_id: int) -> Response:
    """Publish the current revision; 409 without the customer's valid consent to it (staff)."""
    member = caller()
    case_study_id = path_id(case_study_id)
    _may_act(member, case_study_id, as_staff=True)
    return _act(member, case_study_id, lambda: consents.publish(member, case_study_id))


# The customer: answer, withdraw -----------------------------------------------------------------


@blueprint.post("/case-studies/<int:case_study_id>/consent")
@token_required
def grant_consent(case_study_id: int) -> Response:
    """The customer consents to this revision within these scopes (409 if it is not current)."""
    member = caller()
    case_study_id = path_id(case_study_id)
    _may_act(member, case_study_id, as_subject=True)
    scopes = json_body(case_study_spec.CONSENT)
    revision = scopes.pop("revision")
    return _act(
        member,
        case_study_id,
        lambda: consents.grant_consent(member, case_study_id, revision, scopes),
    )


@blueprint.post("/case-studies/<int:case_study_id>/request-changes")
@token_required
def ask_for_changes(case_study_id: int) -> Response:
    """The customer asks for changes to the revision awaiting them."""
    member = caller()
    case_study_id = path_id(case_study_id)
    _may_act(member, case_study_id, as_subject=True)
    data = json_body(case_study_spec.CHANGE_REQUEST)
    return _act(
        member,
        case_study_id,
        lambda: consents.request_changes(
            member, case_study_id, data["comment"], revision=data.get("revision")
        ),
    )


@blueprint.post("/case-studies/<int:case_study_id>/withdraw")
@token_required
def withdraw_case_study(case_study_id: int) -> Response:
    """The customer withdraws it: gone from every surface at once."""
    member = caller()
    case_study_id = path_id(case_study_id)
    _may_act(member, case_study_id, as_subject=True)
    return _act(member, case_study_id, lambda: consents.withdraw(member, case_study_id))


# Reading ----------------------------------------------------------------------------------------


@blueprint.get("/case-studies/<int:case_study_id>")
def case_study(case_study_id: int) -> Response:
    """A case study the caller may see; anonymous callers see public, live ones."""
    return jsonify(_answer_for(api_member(), path_id(case_study_id)))


@blueprint.get("/case-studies")
def case_study_list() -> Response:
    """The live stories the caller may read, newest published first."""
    viewer = api_member()
    position = pagination.decode(query_text("cursor") or None)
    limit = query_int("limit", default=DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT)
    page = _published_page(viewer, position, limit)
    items = [case_study_answer(viewed, consent) for viewed, consent in page.items]
    return jsonify({"items": items, "next_cursor": page.next_cursor})


def _published_page(
    viewer: Any, position: pagination.Position | None, limit: int
) -> pagination.Page[tuple[access.Viewed, CaseStudyConsent]]:
    """One page of access.published_rows, keyset on (published_at, id), in 1-2 queries.

    Each item comes with the consent it is published under.
    """
    page = access.published_rows(viewer, position, limit)
    # The workings' current revisions in one query, for staff and the customer.
    insiders = {row[0].id for row in page.items if access.sees_workings(viewer, row[0])}
    current: dict[int, CaseStudyRevision] = {}
    if insiders:
        wanted = [row[0].current_revision_id for row in page.items if row[0].id in insiders]
        current = {
            revision.id: revision
            for revision in db.session.scalars(
                select(CaseStudyRevision).where(CaseStudyRevision.id.in_(wanted))
            )
        }
    items = []
    for case_study_row, revision, consent_used, customer, profile in page.items:
        published = render.published_story(
            case_study_row, revision, consent_used, customer, profile
        )
        if published is None and case_study_row.id not in insiders:
            continue  # withheld by the guard: only its staff and customer see it
        viewed = access.Viewed(
            case_study=case_study_row,
            customer=customer,
            published=published,
            workings=case_study_row.id in insiders,
            current=current.get(case_study_row.current_revision_id)
            if case_study_row.id in insiders
            else None,
        )
        items.append((viewed, consent_used))
    return pagination.Page(items=items, next_cursor=page.next_cursor)


@blueprint.get("/case-studies/<int:case_study_id>/consent-log")
@token_required
def consent_log_entries(case_study_id: int) -> Response:
    """Every request, answer, publication and withdrawal: the customer, admins and its staff."""
    member = caller()
    viewed = access.view(member, path_id(case_study_id))
    if not access.sees_log(member, viewed.case_study):
        raise NotFound(access.NOT_FOUND)
    entries = [consent_log.serialize(entry) for entry in consent_log.entries(case_study_id)]
    return jsonify({"case_study": case_study_id, "items": entries})
