"""SEC-10/SEC-11 with a real post: who may edit, delete and moderate the customer's post."""

from __future__ import annotations

import pytest

from tests.inventory.posts import OWNED_POST_ACTIONS
from tests.support.content import make_post


@pytest.mark.parametrize("row", sorted(OWNED_POST_ACTIONS))
def test_who_may_touch_the_customers_post(
    app, client, customer, employee, moderator, admin, as_member, row
):
    post = make_post(app, customer)
    method, path = row.split(" ", 1)
    browsers = {
        "anonymous": client,
        "customer": as_member(customer),
        "employee": as_member(employee),
        "moderator": as_member(moderator),
        "admin": as_member(admin),
    }
    got = {
        who: b.open(path.format(id=post.id), method=method).status_code
        for who, b in browsers.items()
    }
    assert got == OWNED_POST_ACTIONS[row]
