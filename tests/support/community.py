"""Setting up the community in tests: registration mode, domains, invitations."""

from __future__ import annotations

from typing import Any

from flask import Flask

from network.extensions import db
from network.models import Member, Role


def configure(app: Flask, **settings: Any) -> None:
    """Save community settings as the operator would (validated, stored)."""
    from network.community import service as community
    from network.database import write_transaction

    with app.test_request_context(), write_transaction() as session:
        community.write(session, community.validate(settings))


def invitation(
    app: Flask, admin: Member, role: Role = Role.customer, days: int = 7, max_uses: int = 1
) -> str:
    """A fresh invitation token made by this admin."""
    from network.accounts import invitations

    with app.test_request_context():
        _row, raw = invitations.create(
            db.session.get(Member, admin.id), role=role, days=days, max_uses=max_uses
        )
        return raw
