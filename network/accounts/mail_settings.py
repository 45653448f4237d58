"""A member's mail choices, kind by kind, saved through network.mail.preferences in one go."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from network.database import write_transaction
from network.exceptions import Invalid
from network.mail import preferences
from network.models import Member

# The kinds a member chooses for, in the order the settings page lists them.
OPTIONAL = tuple(kind for kind, rules in preferences.KINDS.items() if rules.optional)

LABELS = {
    "staff_reply": _l("Staff answers to my posts and comments"),
    "comment_reply": _l("Other replies to my posts and comments"),
    "mention": _l("Someone mentions me"),
    "consent_request": _l("A case study asks for my consent"),
    "case_study_published": _l("A case study about me, or one I worked on, is published"),
    "case_study_expiring": _l("The consent to a case study I worked on ends soon"),
    "digest": _l("Digest of what is new in what I follow"),
}
MODE_LABELS = {
    preferences.NOW: _l("At once"),
    preferences.DIGEST: _l("In the digest"),
    preferences.NEVER: _l("Never"),
    preferences.DAILY: _l("Daily"),
    preferences.WEEKLY: _l("Weekly"),
}


def choices(member: Member) -> dict[str, str]:
    """The member's mode for every kind they may choose for (one query)."""
    modes = preferences.modes_for(member)
    return {kind: modes[kind] for kind in OPTIONAL}


def save(member: Member, modes: Mapping[str, Any]) -> dict[str, str]:
    """Store the modes named (kind -> mode), all or none; returns every choice as saved.

    Raises Invalid (field = the kind) for an unknown kind, a kind that cannot be
    turned off, or a mode that kind does not offer; then nothing is saved.
    """
    for kind, mode in modes.items():
        if kind not in preferences.KINDS:
            raise Invalid(_l("Unknown kind of mail: %(kind)s.", kind=str(kind)[:40]), field=kind)
        rules = preferences.KINDS[kind]
        if not rules.optional:
            raise Invalid(_l("This mail cannot be turned off."), field=kind)
        if not isinstance(mode, str) or mode not in rules.modes:
            raise Invalid(_l("Choose one of: %(modes)s.", modes=", ".join(rules.modes)), field=kind)
    with write_transaction() as session:
        owner = session.get(Member, member.id)
        for kind, mode in modes.items():
            preferences.set_mode(owner, kind, mode)
    return choices(member)
