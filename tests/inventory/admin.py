"""The rows of the route inventory (SEC-10) for administration and invitations.

In the inventory, employees may not invite (the community setting is off) and
no invitation, waiting member or member id 999999 exists.
"""

from tests.inventory.people import by_person

ADMIN_ONLY_PAGE = by_person(anonymous=302, customer=403, employee=403, moderator=403, admin=200)


def admin_post(admin: int) -> dict[str, int]:
    return by_person(anonymous=401, customer=403, employee=403, moderator=403, admin=admin)


ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "GET /admin": (
        "/admin",
        by_person(anonymous=302, customer=403, employee=403, moderator=403, admin=302),
    ),
    "GET /admin/members": ("/admin/members", ADMIN_ONLY_PAGE),
    "POST /admin/members/<int:member_id>/role": ("/admin/members/999999/role", admin_post(422)),
    "POST /admin/members/<int:member_id>/status": ("/admin/members/999999/status", admin_post(422)),
    "GET /admin/approvals": ("/admin/approvals", ADMIN_ONLY_PAGE),
    "POST /admin/approvals/<int:member_id>/approve": (
        "/admin/approvals/999999/approve",
        admin_post(404),
    ),
    "POST /admin/approvals/<int:member_id>/reject": (
        "/admin/approvals/999999/reject",
        admin_post(404),
    ),
    "GET /admin/settings": ("/admin/settings", ADMIN_ONLY_PAGE),
    "POST /admin/settings": ("/admin/settings", admin_post(422)),
    "POST /admin/settings/logo": ("/admin/settings/logo", admin_post(400)),
    "POST /admin/settings/logo/remove": ("/admin/settings/logo/remove", admin_post(302)),
    "GET /admin/audit": ("/admin/audit", ADMIN_ONLY_PAGE),
    "GET /admin/invitations": ("/admin/invitations", ADMIN_ONLY_PAGE),
    "POST /admin/invitations": ("/admin/invitations", admin_post(422)),
    "POST /admin/invitations/<int:invitation_id>/revoke": (
        "/admin/invitations/999999/revoke",
        admin_post(404),
    ),
    # Staff invitations: employees only when the community allows; admins always.
    "GET /invitations": (
        "/invitations",
        by_person(anonymous=302, customer=403, employee=403, moderator=403, admin=200),
    ),
    "POST /invitations": (
        "/invitations",
        by_person(anonymous=401, customer=403, employee=403, moderator=403, admin=422),
    ),
    "POST /invitations/<int:invitation_id>/revoke": (
        "/invitations/999999/revoke",
        by_person(anonymous=401, customer=403, employee=404, moderator=403, admin=404),
    ),
    "GET /invite": (
        "/invite",
        by_person(anonymous=302, customer=200, employee=200, moderator=200, admin=200),
    ),
}
