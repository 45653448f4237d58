"""Who the inventory asks, and shorthands for a row's expected statuses."""

PEOPLE = ("anonymous", "customer", "employee", "moderator", "admin")


def same(status: int) -> dict[str, int]:
    return dict.fromkeys(PEOPLE, status)


def members_only(anonymous: int, members: int) -> dict[str, int]:
    return {"anonymous": anonymous, **dict.fromkeys(PEOPLE[1:], members)}


def by_person(**statuses: int) -> dict[str, int]:
    """Spell out every person: by_person(anonymous=404, customer=403, ...)."""
    assert set(statuses) == set(PEOPLE), f"give all of {PEOPLE}"
    return statuses
