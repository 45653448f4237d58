"""Which mail each member wants, kind by kind: at once, in the digest, or never.

Only choices that differ from a kind's default are stored (MailPreference rows);
kinds that are not optional (account mail, invitations) always go at once.
"""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from network.exceptions import Invalid
from network.extensions import db
from network.models import MailPreference, Member

NOW, DIGEST, NEVER = "now", "digest", "never"
DAILY, WEEKLY = "daily", "weekly"
MODES = (NOW, DIGEST, NEVER)
DIGEST_MODES = (DAILY, WEEKLY, NEVER)


class Kind(NamedTuple):
    optional: bool  # may the member turn it off (and does it carry an unsubscribe link)
    default: str
    modes: tuple[str, ...]


KINDS: dict[str, Kind] = {
    # verification, e-mail change, password reset, sign-in alerts, approval
    "account": Kind(False, NOW, (NOW,)),
    "invitation": Kind(False, NOW, (NOW,)),  # to an address, before there is a member
    "staff_reply": Kind(True, NOW, MODES),
    "comment_reply": Kind(True, DIGEST, MODES),
    "mention": Kind(True, NOW, MODES),
    "consent_request": Kind(True, NOW, MODES),
    "case_study_published": Kind(True, NOW, MODES),
    "case_study_expiring": Kind(True, NOW, MODES),
    "digest": Kind(True, WEEKLY, DIGEST_MODES),
}


def kind_of(kind: str) -> Kind:
    """The kind's rules; raises Invalid for a kind that does not exist."""
    try:
        return KINDS[kind]
    except KeyError:
        raise Invalid(_l("Unknown kind of mail."), field="kind") from None


def mode_for(member: Member, kind: str) -> str:
    """The member's mode for the kind: their stored choice, else the kind's default."""
    rules = kind_of(kind)
    if not rules.optional or member.id is None:
        return rules.default
    stored = db.session.scalar(
        select(MailPreference.mode).where(
            MailPreference.member_id == member.id, MailPreference.kind == kind
        )
    )
    return stored if stored in rules.modes else rules.default


def modes_for(member: Member) -> dict[str, str]:
    """Every kind's mode for the member, in one query."""
    stored = dict(
        db.session.execute(
            select(MailPreference.kind, MailPreference.mode).where(
                MailPreference.member_id == member.id
            )
        ).all()  # type: ignore[arg-type]
    )
    return {
        kind: (
            stored[kind] if rules.optional and stored.get(kind) in rules.modes else rules.default
        )
        for kind, rules in KINDS.items()
    }


def set_mode(member: Member, kind: str, mode: str) -> None:
    """Set the member's mode for one kind, in the caller's transaction (no commit).

    The one write path of mail preferences (settings page, API, unsubscribe
    links). Raises Invalid for an unknown kind, a kind that is not optional or a
    mode the kind does not offer. The default mode removes the row.
    """
    rules = kind_of(kind)
    if not rules.optional:
        raise Invalid(_l("Mail of this kind cannot be turned off."), field=kind)
    if mode not in rules.modes:
        raise Invalid(_l("Choose one of the offered options."), field=kind)
    session = db.session
    session.execute(
        delete(MailPreference).where(
            MailPreference.member_id == member.id, MailPreference.kind == kind
        )
    )
    if mode != rules.default:
        session.add(MailPreference(member_id=member.id, kind=kind, mode=mode))
