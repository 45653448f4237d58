"""Signing in and out, and sessions that really end (SEC-07).

Each signed-in browser has a MemberSession row.  The id Flask-Login keeps in
the session cookie and the remember-me cookie is "<session version>:<row key>",
so a cookie works only while its row is open and the member's session version
is unchanged.  Every request checks both in one query.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select, update

from network import liveness, signals
from network.accounts import passwords
from network.accounts.validation import normalize_email
from network.database import write_transaction
from network.exceptions import Forbidden, Invalid, NotFound
from network.extensions import db
from network.logs import get_logger
from network.models import Member, MemberSession, MemberStatus, SignInEvent, utcnow

security_log = get_logger("security")

CAN_SIGN_IN = liveness.SESSION_STATUSES
LAST_SEEN_RESOLUTION = timedelta(minutes=5)
WRONG_CREDENTIALS = _l("Wrong email, handle or password.")


@dataclass(frozen=True)
class Client:
    """Who is on the other end of a request, as far as we can tell."""

    ip: str | None
    user_agent: str | None

    @classmethod
    def of(cls, ip: str | None, user_agent: str | None) -> Client:
        return cls(
            ip=(ip or None) and ip[:45], user_agent=(user_agent or None) and user_agent[:255]
        )


def this_client() -> Client:
    """The client of the request being answered."""
    return Client.of(request.remote_addr, request.user_agent.string)


def session_id(member: Member, row: MemberSession) -> str:
    return f"{row.version}:{row.key}"


def _lifetime(remember: bool) -> timedelta:
    config = current_app.config
    if remember:
        return timedelta(seconds=config["REMEMBER_COOKIE_DURATION"])
    return timedelta(days=config["SESSION_IDLE_DAYS"])


def _open_session(session, member: Member, client: Client, remember: bool) -> MemberSession:
    now = utcnow()
    row = MemberSession(
        key=secrets.token_urlsafe(32),
        member_id=member.id,
        version=member.session_version,
        remember=remember,
        ip=client.ip,
        user_agent=client.user_agent,
        created_at=now,
        last_seen_at=now,
        expires_at=now + _lifetime(remember),
    )
    session.add(row)
    return row


def find_account(typed: str | None) -> Member | None:
    """The member an email address or handle (with or without @) names, however spelled."""
    text = (typed or "").strip()[:300]
    if "@" in text.lstrip("@"):
        try:
            email = normalize_email(text)
        except Invalid:
            return None
        return db.session.scalar(select(Member).where(Member.email == email))
    handle = text.lstrip("@").lower()
    return db.session.scalar(select(Member).where(Member.handle == handle)) if handle else None


def authenticate(login: str, password: str, client: Client, *, remember: bool) -> Member:
    """Check the credentials and open a session; returns the member, ready for login_user.

    Raises Invalid with one message for an unknown account and a wrong
    password alike (and takes as long for both), Forbidden for an account
    that may not sign in (suspended, deactivated, deleted).
    """
    member = find_account(login)
    if member is None or len(password) > passwords.MAX_LENGTH * 4:
        passwords.spend_time_like_a_check()
        security_log.info("sign-in failed: no such account ip=%s", client.ip)
        raise Invalid(WRONG_CREDENTIALS, field="password")
    member_id = member.id
    correct = passwords.verify_password(member.password_hash, password)
    allowed = member.status in CAN_SIGN_IN
    with write_transaction() as session:
        member = session.get(Member, member_id)
        session.add(
            SignInEvent(
                member_id=member_id,
                ip=client.ip,
                user_agent=client.user_agent,
                success=correct and allowed,
            )
        )
        if correct and allowed:
            if passwords.needs_rehash(member.password_hash):
                member.password_hash = passwords.hash_password(password)
            member.last_login_at = utcnow()
            row = _open_session(session, member, client, remember)
    if not correct:
        security_log.info("sign-in failed: wrong password member=%s ip=%s", member_id, client.ip)
        raise Invalid(WRONG_CREDENTIALS, field="password")
    if not allowed:
        security_log.info("sign-in refused: %s member=%s", member.status.value, member_id)
        raise Forbidden(
            _l("This account cannot sign in: it is %(status)s.", status=status_label(member.status))
        )
    security_log.info("sign-in ok member=%s ip=%s", member_id, client.ip)
    member.session_token = session_id(member, row)
    return member


def status_label(status: MemberStatus) -> str:
    labels = {
        MemberStatus.pending: _l("waiting for approval"),
        MemberStatus.active: _l("active"),
        MemberStatus.suspended: _l("suspended"),
        MemberStatus.deactivated: _l("deactivated"),
        MemberStatus.deleted: _l("deleted"),
    }
    return str(labels[status])


def load_member(token: str) -> Member | None:
    """Flask-Login's user loader: the member of an open, current session, or None."""
    version, _, key = (token or "").partition(":")
    if not version.isdigit() or not key or len(key) > 64:
        return None
    found = db.session.execute(
        select(MemberSession, Member)
        .join(Member, Member.id == MemberSession.member_id)
        .where(MemberSession.key == key)
    ).first()
    if found is None:
        return None
    row, member = found
    now = utcnow()
    if not liveness.session_is_live(row, member, int(version), now):
        return None
    if now - row.last_seen_at > LAST_SEEN_RESOLUTION:
        _touch(row, now)
        found = db.session.execute(
            select(MemberSession, Member)
            .join(Member, Member.id == MemberSession.member_id)
            .where(MemberSession.key == key)
        ).first()
        row, member = found
    member.session_token = token
    g.member_session_key = row.key
    return member


def _touch(row: MemberSession, now) -> None:
    # Written at most every few minutes: not a database write per request.
    values = {"last_seen_at": now, "ip": Client.of(request.remote_addr, None).ip}
    if not row.remember:
        values["expires_at"] = now + _lifetime(False)
    row_id = row.id
    with write_transaction() as session:
        session.execute(update(MemberSession).where(MemberSession.id == row_id).values(**values))


def current_session_key() -> str | None:
    """The key of this browser's session; loading current_user is what finds it."""
    from flask_login import current_user

    if not current_user.is_authenticated:
        return None
    return g.get("member_session_key")


def end_session_by_key(key: str | None) -> None:
    """Sign-out: end this browser's session, so copies of its cookies die with it."""
    if not key:
        return
    with write_transaction() as session:
        session.execute(
            update(MemberSession)
            .where(MemberSession.key == key, MemberSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    signals.send(signals.session_ended, key=key)


def open_sessions(member: Member) -> list[MemberSession]:
    return list(
        db.session.scalars(
            select(MemberSession)
            .where(
                MemberSession.member_id == member.id,
                MemberSession.ended_at.is_(None),
                MemberSession.expires_at > utcnow(),
                MemberSession.version == member.session_version,
            )
            .order_by(MemberSession.last_seen_at.desc(), MemberSession.id.desc())
            .limit(100)
        )
    )


def end_own_session(member: Member, session_row_id: int) -> None:
    """End one of the member's own sessions; another person's id is NotFound (SEC-11)."""
    with write_transaction() as session:
        row = session.get(MemberSession, session_row_id)
        if row is None or row.member_id != member.id or row.ended_at is not None:
            raise NotFound(_l("No such session."))
        row.ended_at = utcnow()
        key = row.key
    signals.send(signals.session_ended, key=key)


def end_other_sessions(member: Member, keep_key: str | None) -> int:
    """End every session of the member but this browser's; returns how many ended."""
    with write_transaction() as session:
        ended = list(
            session.scalars(
                update(MemberSession)
                .where(
                    MemberSession.member_id == member.id,
                    MemberSession.ended_at.is_(None),
                    MemberSession.key != (keep_key or ""),
                )
                .values(ended_at=utcnow())
                .returning(MemberSession.key)
            )
        )
    for key in ended:  # their sockets close too, not at their next event
        signals.send(signals.session_ended, key=key)
    return len(ended)


def bump_session_version(session, member: Member) -> None:
    """Inside a write transaction: every session of the member stops working.

    Used by sign-out everywhere, password change, reset, suspension,
    deactivation and role change.  Realtime connections check the same number.
    """
    member.session_version += 1
    session.execute(
        update(MemberSession)
        .where(MemberSession.member_id == member.id, MemberSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    member_id = member.id
    # Sockets close once the transaction commits (a rollback keeps them).
    event.listen(
        session,
        "after_commit",
        lambda _s: signals.send(signals.member_changed, member_id=member_id),
        once=True,
    )


def start_session(member_id: int, client: Client, remember: bool) -> Member:
    """Open a session for this browser (after sign-up, setup or a password change)."""
    with write_transaction() as session:
        member = session.get(Member, member_id)
        row = _open_session(session, member, client, remember)
    member.session_token = session_id(member, row)
    return member


def sign_in_history(member: Member, limit: int = 20) -> list[SignInEvent]:
    return list(
        db.session.scalars(
            select(SignInEvent)
            .where(SignInEvent.member_id == member.id)
            .order_by(SignInEvent.at.desc(), SignInEvent.id.desc())
            .limit(limit)
        )
    )


def describe_device(user_agent: str | None) -> str:
    """A short human name for a browser, e.g. "Firefox on Windows"."""
    agent = user_agent or ""
    browser = next(
        (
            name
            for token, name in (
                ("Edg/", "Edge"),
                ("OPR/", "Opera"),
                ("YaBrowser", "Yandex Browser"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Chromium", "Chromium"),
                ("Safari/", "Safari"),
                ("curl/", "curl"),
                ("python", "Python"),
            )
            if token in agent
        ),
        None,
    )
    system = next(
        (
            name
            for token, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Windows", "Windows"),
                ("Mac OS X", "macOS"),
                ("CrOS", "ChromeOS"),
                ("Linux", "Linux"),
            )
            if token in agent
        ),
        None,
    )
    if browser and system:
        return str(_l("%(browser)s on %(system)s", browser=browser, system=system))
    return browser or system or str(_l("Unknown device"))


def sign_out_everywhere(member: Member) -> None:
    """End every session of the member, on every device, this one included."""
    member_id = member.id
    with write_transaction() as session:
        sessions_member = session.get(Member, member_id)
        bump_session_version(session, sessions_member)
    security_log.info("signed out everywhere member=%s", member_id)
