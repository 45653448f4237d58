"""Which mail a notification makes, for whom, and with which words (network/mail/outbox.py).

A mail says only what its recipient could read on the site: each recipient is
checked with the same access rules as the pages (a post they may view, the
scoped story of a case study as they would see it), and a comment still held
for moderation makes no mail at all. The words are plain values (titles,
excerpts, absolute links); the outbox renders templates/mail/<kind>.* in the
recipient's language. Mails are rendered before the write transaction opens
(so rendering never holds the write lock) and added inside it, so each is stored
with the notification rows or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.sql.elements import ColumnElement

from network import sanitize
from network.case_studies import access as case_studies
from network.exceptions import NotFound
from network.extensions import db
from network.mail import outbox
from network.models import (
    CaseStudy,
    Comment,
    ContentState,
    Member,
    NotificationKind,
    OutboxMessage,
    Post,
    Role,
)
from network.permissions import can_view_post, visible_posts

EXCERPT = 300
REPLIES = (NotificationKind.reply_to_post, NotificationKind.reply_after_you)


@dataclass(frozen=True)
class Planned:
    """One mail to enqueue: read before the write transaction, enqueued inside it."""

    member: Member
    kind: str
    context: dict[str, Any]
    thread_key: str | None


def mail_kind(recipient: Member, kind: NotificationKind, actor: Member | None) -> str | None:
    """The mail kind (network.mail.preferences.KINDS) of a notification, or None for none."""
    if kind == NotificationKind.mention:
        return "mention"
    if kind in REPLIES:
        # A customer who asked hears from the company: the kind they most want at once.
        staff = actor is not None and actor.role in (Role.employee, Role.admin)
        return "staff_reply" if staff and recipient.role == Role.customer else "comment_reply"
    if kind == NotificationKind.consent_request:
        return "consent_request"
    if kind == NotificationKind.consent_expiring:
        return "case_study_expiring"
    return None


def may_read(member: Member, post: Post) -> bool:
    """Whether the member may read this post now, as its page decides; only visible posts
    are mailed, so a held or hidden one is never mailed, even to a moderator."""
    return post.state == ContentState.visible and can_view_post(member, post)


def readable_posts(member: Member) -> ColumnElement[bool]:
    """may_read as SQL, for the digest's lists."""
    return and_(Post.state == ContentState.visible, visible_posts(member))


def post_title(post: Post) -> str:
    return post.title or sanitize.plain_text(post.body_html, 60) or "…"


def for_comment(
    post: Post, comment: Comment, recipients: dict[int, NotificationKind]
) -> list[Planned]:
    """The mails of a new comment, one per recipient who may read the post."""
    if comment.state != ContentState.visible or post.state != ContentState.visible:
        return []
    actor = db.session.get(Member, comment.author_id)
    members = db.session.scalars(select_members(recipients))
    context = {
        "post_title": post_title(post),
        "author_name": actor.display_name if actor else "",
        "excerpt": sanitize.plain_text(comment.body_html, EXCERPT),
        "url": outbox.absolute_for("posts.show", post_id=post.id) + f"#c{comment.seq}",
    }
    planned = []
    for member in members:
        if not may_read(member, post):
            continue
        kind = mail_kind(member, recipients[member.id], actor)
        if kind is not None:
            planned.append(Planned(member, kind, {**context}, f"post-{post.id}"))
    return planned


def select_members(ids: Any) -> Select[tuple[Member]]:
    return select(Member).where(Member.id.in_(list(ids))).order_by(Member.id)


def for_case_study(kind: str, case_study_id: int, recipients: list[int]) -> list[Planned]:
    """A case study's mails: what each recipient may see of it, or no mail."""
    case_study = db.session.get(CaseStudy, case_study_id)
    if case_study is None:
        return []
    planned = []
    for member in db.session.scalars(select_members(recipients)):
        context = case_study_context(kind, case_study, member)
        if context is not None:
            planned.append(Planned(member, kind, context, f"case-study-{case_study_id}"))
    return planned


def case_study_context(kind: str, case_study: CaseStudy, member: Member) -> dict[str, Any] | None:
    try:
        viewed = case_studies.view(member, case_study.id)
    except NotFound:  # nothing of it is theirs to read
        return None
    if kind == "consent_request":
        if viewed.current is None or not case_studies.is_subject(member, case_study):
            return None
        url = outbox.absolute_for("case_studies.review", case_study_id=case_study.id)
        return {"title": viewed.current.title, "url": url}
    story = viewed.published  # the scoped story, exactly as its page shows it to them
    if story is None:
        return None
    url = outbox.absolute_for("case_studies.show", case_study_id=case_study.id)
    context: dict[str, Any] = {"title": story.title, "excerpt": story.excerpt, "url": url}
    if kind == "case_study_expiring":
        consent = case_studies.consent_shown(case_study)
        expires = consent.expires_on if consent is not None else None
        context["expires_on"] = expires.isoformat() if expires else ""
    return context


def compose(planned: list[Planned]) -> list[OutboxMessage]:
    """Render the planned mails the outbox takes; those it refuses (preference, status) drop."""
    messages = []
    for item in planned:
        message = outbox.compose(
            item.member, item.kind, item.kind, item.context, thread_key=item.thread_key
        )
        if message is not None:
            messages.append(message)
    return messages


def enqueue(messages: list[OutboxMessage]) -> None:
    """Add composed mails to the open write transaction: stored with its rows, or not at all."""
    db.session.add_all(messages)
