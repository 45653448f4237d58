"""The rows of the route inventory (SEC-10) for the case-study pages.

No case study exists in the inventory: id 999999 is 404 to whoever may ask
for one; visitors are sent to sign in where a page needs a member; staff
pages refuse customers and moderators (403) before looking the id up.
"""

from tests.inventory.people import by_person, members_only, same

STAFF_PAGE = by_person(anonymous=302, customer=403, employee=200, moderator=403, admin=200)


def staff_only(anonymous: int, staff: int) -> dict[str, int]:
    return by_person(anonymous=anonymous, customer=403, employee=staff, moderator=403, admin=staff)


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "GET /case-studies": ("/case-studies", same(200)),
    "GET /case-studies/<int:case_study_id>": ("/case-studies/999999", same(404)),
    "GET /case-studies/manage": ("/case-studies/manage", STAFF_PAGE),
    "GET /case-studies/new": ("/case-studies/new", STAFF_PAGE),
    "POST /case-studies/new": ("/case-studies/new", staff_only(401, 422)),
    "GET /case-studies/<int:case_study_id>/edit": (
        "/case-studies/999999/edit",
        staff_only(302, 404),
    ),
    "POST /case-studies/<int:case_study_id>/edit": (
        "/case-studies/999999/edit",
        staff_only(401, 404),
    ),
    "POST /case-studies/<int:case_study_id>/request-consent": (
        "/case-studies/999999/request-consent",
        staff_only(401, 404),
    ),
    "POST /case-studies/<int:case_study_id>/publish": (
        "/case-studies/999999/publish",
        staff_only(401, 404),
    ),
    "GET /case-studies/<int:case_study_id>/review": (
        "/case-studies/999999/review",
        members_only(302, 404),
    ),
    "POST /case-studies/<int:case_study_id>/consent": (
        "/case-studies/999999/consent",
        members_only(401, 404),
    ),
    "POST /case-studies/<int:case_study_id>/request-changes": (
        "/case-studies/999999/request-changes",
        members_only(401, 404),
    ),
    "GET /case-studies/<int:case_study_id>/withdraw": (
        "/case-studies/999999/withdraw",
        members_only(302, 404),
    ),
    "POST /case-studies/<int:case_study_id>/withdraw": (
        "/case-studies/999999/withdraw",
        members_only(401, 404),
    ),
    "GET /case-studies/<int:case_study_id>/consent-log": (
        "/case-studies/999999/consent-log",
        same(404),
    ),
    "GET /case-studies/<int:case_study_id>/consent-log.json": (
        "/case-studies/999999/consent-log.json",
        same(404),
    ),
    "GET /me/case-studies": ("/me/case-studies", members_only(302, 200)),
}
