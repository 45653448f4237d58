"""The rows of the route inventory (SEC-10) for unsubscribe links: a forged token is 404 for all."""

from tests.inventory.people import same

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "GET /mail/unsubscribe/<token>": ("/mail/unsubscribe/not-a-token", same(404)),
    "POST /mail/unsubscribe/<token>": ("/mail/unsubscribe/not-a-token", same(404)),
}
