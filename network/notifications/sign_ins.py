"""The notice a member gets when someone keeps failing to sign in to their account.

One stored notification (and one mail, when SMTP is configured) sums up the
last hour's failed attempts, at most once an hour, so an attack cannot flood
the member's inbox.  It says how often and when, never what was typed.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from network import mail
from network.database import write_transaction
from network.logs import get_logger
from network.models import (
    Member,
    MemberStatus,
    Notification,
    NotificationKind,
    SignInEvent,
    utcnow,
)
from network.notifications import service

security_log = get_logger("security")
QUIET = timedelta(hours=1)
DEFAULT_NOTICE_AFTER = 5  # failures in an hour: fewer are typos, not worth a word


def _threshold() -> int:
    return int(current_app.config.get("SIGN_IN_NOTICE_AFTER", DEFAULT_NOTICE_AFTER))


def failed_attempt(member_id: int) -> int | None:
    """After a failed sign-in: store one notice of the last hour's failures, when it is time.

    Nothing happens until the hour holds SIGN_IN_NOTICE_AFTER failures, nor
    within an hour of the previous notice.  Returns the new notification's id,
    else None; mails the member when SMTP is configured.  Raises nothing of
    its own: the caller has already answered the attempt.
    """
    now = utcnow()
    with write_transaction() as session:
        # Locks the member's row (PostgreSQL): two failures at once make one notice.
        member = session.get(Member, member_id, with_for_update=True)
        if member is None:
            return None
        last = session.scalar(
            select(func.max(Notification.created_at)).where(
                Notification.member_id == member_id,
                Notification.kind == NotificationKind.failed_sign_in,
            )
        )
        if last is not None and now - last < QUIET:
            return None
        attempts = session.scalar(
            select(func.count(SignInEvent.id)).where(
                SignInEvent.member_id == member_id,
                SignInEvent.success.is_(False),
                SignInEvent.at > now - QUIET,
            )
        )
        if attempts < _threshold():
            return None
        notice = Notification(
            member_id=member_id,
            kind=NotificationKind.failed_sign_in,
            attempts=attempts,
            created_at=now,
        )
        session.add(notice)
        session.flush()
        notice_id = notice.id
        email, name, language, status = (
            member.email,
            member.display_name,
            member.language,
            member.status,
        )
    security_log.info("failed sign-in notice member=%s attempts=%s", member_id, attempts)
    service.push([notice_id])
    if current_app.config.get("SMTP_HOST") and status in (
        MemberStatus.active,
        MemberStatus.pending,
    ):
        _mail(email, name, language, attempts)
    return notice_id


def _mail(email: str, name: str, language: str | None, attempts: int) -> None:
    with force_locale(language or "en"):
        link = url_for("accounts.settings.sessions_page", _external=True)
        body = ngettext(
            "Hello %(name)s,\n\nin the last hour someone failed %(num)d time to sign in to your "
            "account with a wrong password. They did not get in.\n\nIf it was you, nothing "
            "needs doing. If not, your account stays safe while your password is strong and "
            "used nowhere else, and the browsers you signed in with before still sign in as "
            "usual. See your recent sign-ins and change your password here: %(link)s",
            "Hello %(name)s,\n\nin the last hour someone failed %(num)d times to sign in to your "
            "account with a wrong password. They did not get in.\n\nIf it was you, nothing "
            "needs doing. If not, your account stays safe while your password is strong and "
            "used nowhere else, and the browsers you signed in with before still sign in as "
            "usual. See your recent sign-ins and change your password here: %(link)s",
            attempts,
            name=name,
            link=link,
        )
        mail.send(email, str(_l("Failed sign-in attempts on your account")), body)
