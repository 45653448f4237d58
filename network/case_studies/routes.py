"""HTTP pages for case studies: the story and the index; importing this registers every view.

Staff's desk is in staff_routes.py, the customer's review in review_routes.py; all
register on one blueprint, so endpoints stay ``case_studies.<view>``."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from network import pagination
from network.case_studies import access
from network.case_studies.blueprint import (
    PAGE,
    as_written,
    asked_changes,
    blueprint,
    viewed_or_404,
)
from network.case_studies.forms import (
    RevisionActionForm,
)
from network.models import CaseStudyStatus

# Everyone: the story and the index ------------------------------------------------------------


@blueprint.get("/case-studies")
def index() -> str:
    page = access.published_rows(current_user, pagination.decode(request.args.get("cursor")), PAGE)
    return render_template(
        "case_studies/index.html", stories=access.stories_of(page.items), older=page.next_cursor
    )


@blueprint.get("/case-studies/<int:case_study_id>")
def show(case_study_id: int) -> str:
    viewed = viewed_or_404(case_study_id)
    action_form = RevisionActionForm(formdata=None)
    if viewed.current is not None:
        action_form.revision.data = viewed.current.content_hash
    return render_template(
        "case_studies/show.html",
        viewed=viewed,
        story=viewed.published,
        draft_story=None if viewed.published else as_written(viewed),
        is_staff=access.is_staff(current_user),
        is_subject=access.is_subject(current_user, viewed.case_study),
        sees_log=access.sees_log(current_user, viewed.case_study),
        asked_changes=asked_changes(viewed) if viewed.workings else None,
        action_form=action_form,
        withheld=_withheld(viewed),
    )


def _withheld(viewed: access.Viewed) -> bool:
    """Published under a live consent, yet not shown: the guard withheld it at render."""
    case_study = viewed.case_study
    return (
        viewed.published is None
        and case_study.status == CaseStudyStatus.published
        and access.consent_is_live(access.consent_shown(case_study))
    )


from network.case_studies import review_routes, staff_routes  # noqa: E402, F401 (views register)

__all__ = ["blueprint"]
