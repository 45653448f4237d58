"""The rows of the route inventory (SEC-10) for profiles, follows, the directory and uploads."""

from tests.inventory.people import by_person, members_only, same

# carla (the customer) has a public profile (the default), so everyone sees her pages.
ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "GET /u/<handle>": ("/u/carla", same(200)),
    "GET /u/<handle>/card.vcf": ("/u/carla/card.vcf", same(200)),
    "GET /u/<handle>/followers": ("/u/carla/followers", same(200)),
    "GET /u/<handle>/following": ("/u/carla/following", same(200)),
    # carla cannot follow herself (422); the others follow her and are sent back to her page
    "POST /u/<handle>/follow": (
        "/u/carla/follow",
        by_person(anonymous=401, customer=422, employee=302, moderator=302, admin=302),
    ),
    "POST /u/<handle>/unfollow": ("/u/carla/unfollow", members_only(401, 302)),
    "GET /members": ("/members", same(200)),
    "GET /settings/profile": ("/settings/profile", members_only(302, 200)),
    "POST /settings/profile": ("/settings/profile", members_only(401, 422)),  # no name
    "POST /settings/profile/avatar": ("/settings/profile/avatar", members_only(401, 422)),
    "POST /settings/profile/avatar/remove": (
        "/settings/profile/avatar/remove",
        members_only(401, 302),
    ),
    "GET /uploads/<name>": ("/uploads/not-a-stored-name.png", same(404)),
    "POST /uploads": ("/uploads", members_only(401, 422)),  # no file
}
