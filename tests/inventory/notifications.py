"""The rows of the route inventory (SEC-10) for notifications."""

from tests.inventory.people import members_only

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "GET /notifications": ("/notifications", members_only(302, 200)),
    "POST /notifications/read": ("/notifications/read", members_only(401, 302)),
    "POST /notifications/read/<int:post_id>": (
        "/notifications/read/999999",
        members_only(401, 302),
    ),
    "POST /notifications/read/case-study/<int:case_study_id>": (
        "/notifications/read/case-study/999999",
        members_only(401, 302),
    ),
    "POST /notifications/read/sign-ins": ("/notifications/read/sign-ins", members_only(401, 302)),
}
