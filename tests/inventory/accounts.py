"""The rows of the route inventory (SEC-10) for accounts and settings."""

from tests.inventory.people import members_only, same

# "METHOD rule" -> (concrete path, {person: expected status})
ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "GET /signup": ("/signup", members_only(200, 302)),
    "POST /signup": ("/signup", members_only(422, 302)),
    "GET /signin": ("/signin", members_only(200, 302)),
    "POST /signin": ("/signin", same(422)),
    "POST /signout": ("/signout", same(302)),
    "GET /verify/<token>": ("/verify/not-a-token", same(302)),
    "POST /verify/resend": ("/verify/resend", members_only(401, 302)),
    "GET /reset": ("/reset", same(200)),
    "POST /reset": ("/reset", same(422)),
    "GET /reset/<token>": ("/reset/not-a-token", same(404)),
    "POST /reset/<token>": ("/reset/not-a-token", same(404)),
    "GET /setup/<token>": ("/setup/not-a-token", same(404)),
    "POST /setup/<token>": ("/setup/not-a-token", same(404)),
    "GET /settings": ("/settings", members_only(302, 200)),
    "POST /settings/password": ("/settings/password", members_only(401, 422)),
    "POST /settings/email": ("/settings/email", members_only(401, 422)),
    "POST /settings/time-zone": ("/settings/time-zone", members_only(401, 422)),
    "GET /settings/mail": ("/settings/mail", members_only(302, 200)),
    "POST /settings/mail": ("/settings/mail", members_only(401, 302)),
    "GET /settings/sessions": ("/settings/sessions", members_only(302, 200)),
    "POST /settings/sessions/<int:session_id>/end": (
        "/settings/sessions/999999/end",
        members_only(401, 404),
    ),
    "POST /settings/sessions/end-others": ("/settings/sessions/end-others", members_only(401, 302)),
    "POST /settings/sessions/end-all": ("/settings/sessions/end-all", members_only(401, 302)),
    "GET /settings/tokens": ("/settings/tokens", members_only(302, 200)),
    "POST /settings/tokens": ("/settings/tokens", members_only(401, 422)),
    "POST /settings/tokens/<int:token_id>/revoke": (
        "/settings/tokens/999999/revoke",
        members_only(401, 404),
    ),
}
