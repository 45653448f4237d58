"""The one write path for notifications, and what a member reads of theirs.

Rows are written after the comment or post they are about has committed, in
their own transaction; then the socket tells the recipients' own rooms. A
failure here never undoes the comment, and a missed push is healed by the
notification page and the unread badge, which read the database.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.orm import joinedload

from network import sanitize, times
from network.database import write_transaction
from network.extensions import db, socketio
from network.logs import get_logger
from network.models import (
    CaseStudy,
    Comment,
    ContentState,
    Member,
    MemberStatus,
    Notification,
    NotificationKind,
    Post,
    utcnow,
)
from network.notifications import mails
from network.realtime.rooms import member_room

log = get_logger("notifications")
MAX_THREAD_RECIPIENTS = 50
PAGE = 100

TEXTS = {
    NotificationKind.reply_to_post: _l("%(name)s commented on your post “%(title)s”"),
    NotificationKind.reply_after_you: _l("%(name)s also commented on “%(title)s”"),
    NotificationKind.mention: _l("%(name)s mentioned you in “%(title)s”"),
    NotificationKind.announcement: _l("Announcement from %(name)s: “%(title)s”"),
    NotificationKind.consent_request: _l(
        "%(name)s asks for your consent to the case study “%(title)s”"
    ),
    NotificationKind.consent_changes: _l("%(name)s asked for changes to “%(title)s”"),
    NotificationKind.consent_granted: _l("%(name)s consented to “%(title)s”: ready to publish"),
    NotificationKind.consent_expiring: _l(
        "The consent to “%(title)s” ends in two weeks; ask the customer to renew it"
    ),
    NotificationKind.case_withdrawn: _l("%(name)s withdrew the case study “%(title)s”"),
}


def comment_added(comment: Comment) -> None:
    """Notify the post's author, earlier commenters and mentioned members of a new comment."""
    post = db.session.get(Post, comment.post_id)
    if post is None or post.state != ContentState.visible:
        return
    author_id = comment.author_id
    recipients: dict[int, NotificationKind] = {}
    mentioned = sanitize.mentioned_handles(comment.body)
    if mentioned:
        for member_id in db.session.scalars(
            select(Member.id).where(
                Member.handle.in_(mentioned), Member.status == MemberStatus.active
            )
        ):
            recipients[member_id] = NotificationKind.mention
    recipients.setdefault(post.author_id, NotificationKind.reply_to_post)
    earlier = db.session.scalars(
        select(Comment.author_id)
        .where(
            Comment.post_id == post.id,
            Comment.id != comment.id,
            Comment.state == ContentState.visible,
        )
        .group_by(Comment.author_id)
        .order_by(func.max(Comment.seq).desc())
        .limit(MAX_THREAD_RECIPIENTS)
    )
    for member_id in earlier:
        recipients.setdefault(member_id, NotificationKind.reply_after_you)
    recipients.pop(author_id, None)
    if not recipients:
        return
    messages = mails.compose(mails.for_comment(post, comment, recipients))
    with write_transaction() as session:
        rows = [
            Notification(
                member_id=member_id,
                kind=kind,
                post_id=post.id,
                comment_id=comment.id,
                actor_id=author_id,
            )
            for member_id, kind in recipients.items()
        ]
        session.add_all(rows)
        session.flush()
        ids = [row.id for row in rows]
        mails.enqueue(messages)
    push(ids)


def announcement_made(post: Post) -> None:
    """Tell every active member (but the author) about a pinned announcement, in one statement."""
    with write_transaction() as session:
        session.execute(
            insert(Notification).from_select(
                ["member_id", "kind", "post_id", "actor_id", "created_at"],
                select(
                    Member.id,
                    literal(NotificationKind.announcement.value),
                    literal(post.id),
                    literal(post.author_id),
                    literal(utcnow(), type_=Notification.created_at.type),
                ).where(Member.status == MemberStatus.active, Member.id != post.author_id),
            )
        )
    # Announcements are pushed as the unread badge on the next page, not socket by socket.


def case_study_event(
    kind: NotificationKind,
    case_study_id: int,
    recipients: list[int],
    actor_id: int | None,
    *,
    mail: str | None = None,
) -> None:
    """Store and push a case study's notification to each recipient (after its commit).

    With `mail` (a kind of network.mail.preferences), each recipient who may
    read the case study is also mailed, in the same transaction.
    """
    messages = mails.compose(mails.for_case_study(mail, case_study_id, recipients)) if mail else []
    with write_transaction() as session:
        rows = [
            Notification(
                member_id=member_id, kind=kind, case_study_id=case_study_id, actor_id=actor_id
            )
            for member_id in recipients
        ]
        session.add_all(rows)
        session.flush()
        ids = [row.id for row in rows]
        mails.enqueue(messages)
    push(ids)


def case_study_mail(mail: str, case_study_id: int, recipients: list[int]) -> None:
    """Mail a case study's news that has no notification of its own (its publication)."""
    messages = mails.compose(mails.for_case_study(mail, case_study_id, recipients))
    if messages:
        with write_transaction():
            mails.enqueue(messages)


def push(notification_ids: list[int]) -> None:
    try:
        items = loaded(select(Notification).where(Notification.id.in_(notification_ids)))
        # One query for every recipient's language, not one per recipient: this runs
        # inside the comment POST (bench-realtime's profile found it the largest cost).
        languages: dict[int, str | None] = dict(
            db.session.execute(
                select(Member.id, Member.language).where(
                    Member.id.in_({item.member_id for item in items})
                )
            ).all()
        )
        for item in items:
            with force_locale(languages.get(item.member_id) or "en"):
                socketio.emit("notification", serialize(item), to=member_room(item.member_id))
    except Exception:  # the rows are stored; the page and badge show them regardless
        log.exception("notification push failed")


def loaded(statement: Any) -> list[Notification]:
    return list(
        db.session.scalars(
            statement.options(
                joinedload(Notification.post),
                joinedload(Notification.actor),
                joinedload(Notification.comment),
                joinedload(Notification.case_study).joinedload(CaseStudy.current_revision),
            )
        )
    )


def _title(item: Notification) -> str:
    if item.case_study is not None:
        # The working title: only the customer and staff are ever notified of one.
        revision = item.case_study.current_revision
        return revision.title if revision is not None else "…"
    return item.post.title or sanitize.plain_text(item.post.body_html, 60) or "…"


def text(item: Notification) -> str:
    if item.kind == NotificationKind.failed_sign_in:
        return _failed_sign_ins(item)
    name = item.actor.display_name if item.actor else str(_l("Someone"))
    return str(TEXTS[item.kind] % {"name": name, "title": _title(item)})


def _failed_sign_ins(item: Notification) -> str:
    count = item.attempts or 0
    return ngettext(
        "%(num)d failed attempt to sign in to your account in an hour: see your recent sign-ins",
        "%(num)d failed attempts to sign in to your account in an hour: see your recent sign-ins",
        count,
    )


def url(item: Notification) -> str:
    if item.kind == NotificationKind.failed_sign_in:
        return "/settings/sessions"
    if item.case_study_id is not None:
        if item.kind == NotificationKind.consent_request:
            return f"/case-studies/{item.case_study_id}/review"
        return f"/case-studies/{item.case_study_id}"
    anchor = f"#c{item.comment.seq}" if item.comment is not None else ""
    return f"/posts/{item.post_id}{anchor}"


def serialize(item: Notification) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind.value,
        "text": text(item),
        "url": url(item),
        "created_at": times.rfc3339(item.created_at),
    }


@dataclass
class Thread:
    post_id: int | None
    case_study_id: int | None = None
    items: list[Notification] = field(default_factory=list)

    @property
    def unread(self) -> int:
        return sum(1 for item in self.items if item.read_at is None)


def threads(member: Member) -> list[Thread]:
    """The member's latest notifications grouped by post, newest thread first (one query)."""
    grouped: OrderedDict[int, Thread] = OrderedDict()
    for item in loaded(
        select(Notification)
        .where(Notification.member_id == member.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(PAGE)
    ):
        grouped.setdefault(
            _thread_key(item), Thread(item.post_id, item.case_study_id)
        ).items.append(item)
    return list(grouped.values())


def _thread_key(item: Notification) -> str:
    if item.post_id is not None:
        return f"post:{item.post_id}"
    if item.case_study_id is not None:
        return f"case-study:{item.case_study_id}"
    return item.kind.value  # notices about the account itself: one thread per kind


def unread_count(member: Member) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.member_id == member.id, Notification.read_at.is_(None)
        )
    )


def mark_read(
    member: Member,
    post_id: int | None = None,
    *,
    case_study_id: int | None = None,
    kind: NotificationKind | None = None,
) -> int:
    """Mark the member's notifications read (all, or one thread's); returns how many."""
    statement = update(Notification).where(
        Notification.member_id == member.id, Notification.read_at.is_(None)
    )
    if kind is not None:
        statement = statement.where(Notification.kind == kind)
    if post_id is not None:
        statement = statement.where(Notification.post_id == post_id)
    if case_study_id is not None:
        statement = statement.where(Notification.case_study_id == case_study_id)
    with write_transaction() as session:
        return session.execute(statement.values(read_at=utcnow())).rowcount
