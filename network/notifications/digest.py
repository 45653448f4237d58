"""The mail digest: daily or weekly, of what is new and most discussed in what a member follows.

`flask --app network run-jobs` (run it hourly) calls `send_due`. A member whose
"digest" mail mode is daily or weekly gets one once their own clock (their time
zone) has passed NETWORK_DIGEST_HOUR since their last digest: every day, or on
Mondays for weekly. It holds

- the most discussed posts they follow since their last digest: new posts of the
  members they follow, and posts they commented on that have new comments, only
  those they may read now (visible, and members-only only to members);
- the notifications they asked to have in the digest instead of at once (say,
  replies to their comments, whose default mode is "digest"), and the case studies
  published that concern them when case_study_published is set to "digest".

With nothing in it no mail is sent; either way last_digest_at moves to now, by
a compare-and-set in the transaction that queues the mail, so two runs at once
(or one run twice) send a period's digest once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import joinedload

from network import sanitize
from network.accounts import time_zones
from network.database import write_transaction
from network.extensions import db
from network.logs import get_logger
from network.mail import outbox, preferences
from network.models import (
    CaseStudy,
    CaseStudyRevision,
    CaseStudyStatus,
    Comment,
    ContentState,
    Follow,
    MailPreference,
    Member,
    MemberStatus,
    Notification,
    NotificationKind,
    Post,
    utcnow,
)
from network.notifications import mails, service

log = get_logger("notifications")
PERIODS = {preferences.DAILY: timedelta(days=1), preferences.WEEKLY: timedelta(days=7)}
WEEKLY_ON = 0  # Monday
MOST_DISCUSSED = 10
HELD_NOTES = 30
# Notifications that may wait for the digest (their mail kind's mode is "digest").
HELD_KINDS = (
    NotificationKind.reply_to_post,
    NotificationKind.reply_after_you,
    NotificationKind.mention,
    NotificationKind.consent_request,
    NotificationKind.consent_expiring,
)


@dataclass(frozen=True)
class Digest:
    period: str
    posts: list[dict[str, Any]]
    notes: list[dict[str, Any]]

    @property
    def empty(self) -> bool:
        return not self.posts and not self.notes


def latest_slot(member: Member, period: str, now: datetime) -> datetime:
    """The last moment at or before `now` a digest of this period was due, in UTC.

    NETWORK_DIGEST_HOUR on the member's own wall clock, every day or on Mondays.
    """
    local = time_zones.local(member, now)
    hour = int(current_app.config.get("DIGEST_HOUR", 8))
    slot = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if slot > local:
        slot -= timedelta(days=1)
    if period == preferences.WEEKLY:
        slot -= timedelta(days=(slot.weekday() - WEEKLY_ON) % 7)
    # Wall-clock arithmetic on the member's zone, then back to UTC (a DST change keeps 08:00).
    return slot.replace(fold=0).astimezone(now.tzinfo)


def is_due(member: Member, period: str, now: datetime) -> bool:
    return member.last_digest_at is None or member.last_digest_at < latest_slot(member, period, now)


def send_due(now: datetime | None = None) -> int:
    """Queue the digest of every member whose time has come; returns how many were queued."""
    now = now or utcnow()
    chosen = dict(
        db.session.execute(
            select(MailPreference.member_id, MailPreference.mode).where(
                MailPreference.kind == "digest"
            )
        ).all()  # type: ignore[arg-type]
    )
    default = preferences.KINDS["digest"].default
    due = []
    for member in db.session.scalars(
        select(Member).where(Member.status == MemberStatus.active).order_by(Member.id)
    ):
        period = chosen.get(member.id, default)
        if period in PERIODS and is_due(member, period, now):
            due.append((member.id, period))
    sent = 0
    for member_id, period in due:
        try:
            sent += send_one(member_id, period, now)
        except Exception:  # one member's failure must not stop the others' digests
            log.exception("digest for member %s failed", member_id)
            db.session.rollback()
    return sent


def send_one(member_id: int, period: str, now: datetime) -> int:
    """Gather and queue one member's digest (or record that there was nothing); 1 if queued."""
    member = db.session.get(Member, member_id)
    last = member.last_digest_at
    since = latest_slot(member, period, now) - PERIODS[period]
    if last is not None and last > since:
        since = last
    language = member.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        digest = gather(member, period, since, now)
    context = {"period": period, "posts": digest.posts, "notes": digest.notes}
    with write_transaction() as session:
        moved = session.execute(
            update(Member)
            .where(
                Member.id == member_id,
                Member.last_digest_at.is_(None) if last is None else Member.last_digest_at == last,
            )
            .values(last_digest_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if moved != 1 or digest.empty:
            return 0  # another run took this period, or there is nothing to say
        owner = session.get(Member, member_id)
        queued = outbox.enqueue(owner, "digest", "digest", context)
    return 1 if queued is not None else 0


def gather(member: Member, period: str, since: datetime, now: datetime) -> Digest:
    """What the member's digest holds, between `since` and `now` (only what they may read)."""
    return Digest(period, _followed_posts(member, since, now), _held_notes(member, since, now))


def _followed_posts(member: Member, since: datetime, now: datetime) -> list[dict[str, Any]]:
    followed = select(Follow.followee_id).where(Follow.follower_id == member.id)
    commented = select(Comment.post_id).where(Comment.author_id == member.id)
    discussed = select(Comment.post_id).where(
        Comment.created_at > since,
        Comment.created_at <= now,
        Comment.state == ContentState.visible,
        Comment.author_id != member.id,
    )
    rows = db.session.scalars(
        select(Post)
        .options(joinedload(Post.author))
        .where(
            mails.readable_posts(member),  # never a hidden post, even to a moderator
            Post.author_id != member.id,
            or_(
                and_(Post.author_id.in_(followed), Post.created_at > since, Post.created_at <= now),
                and_(Post.id.in_(commented), Post.id.in_(discussed)),
            ),
        )
        .order_by(Post.comment_count.desc(), Post.created_at.desc(), Post.id.desc())
        .limit(MOST_DISCUSSED)
    )
    return [
        {
            "title": mails.post_title(post),
            "author_name": post.author.display_name,
            "excerpt": sanitize.plain_text(post.body_html, 200),
            "comments": post.comment_count,
            "url": outbox.absolute_for("posts.show", post_id=post.id),
        }
        for post in rows
    ]


def _held_notes(member: Member, since: datetime, now: datetime) -> list[dict[str, Any]]:
    modes = preferences.modes_for(member)
    notes = []
    for item in service.loaded(
        select(Notification)
        .where(
            Notification.member_id == member.id,
            Notification.kind.in_(HELD_KINDS),
            Notification.created_at > since,
            Notification.created_at <= now,
        )
        .order_by(Notification.created_at, Notification.id)
        .limit(HELD_NOTES)
    ):
        kind = mails.mail_kind(member, item.kind, item.actor)
        if (
            kind is None
            or modes.get(kind) != preferences.DIGEST
            or not _still_readable(member, item)
        ):
            continue
        notes.append({"text": service.text(item), "url": outbox.absolute(service.url(item))})
    if modes.get("case_study_published") == preferences.DIGEST:
        notes.extend(_published_stories(member, since, now))
    return notes


def _published_stories(member: Member, since: datetime, now: datetime) -> list[dict[str, Any]]:
    """Stories about the member, or that they worked on, published in the period (no
    notification row records these, so they are read from the case studies)."""
    worked_on = select(CaseStudyRevision.case_study_id).where(
        CaseStudyRevision.author_id == member.id
    )
    notes = []
    for case_study in db.session.scalars(
        select(CaseStudy)
        .where(
            CaseStudy.status == CaseStudyStatus.published,
            CaseStudy.published_at > since,
            CaseStudy.published_at <= now,
            or_(
                CaseStudy.customer_id == member.id,
                CaseStudy.created_by_id == member.id,
                CaseStudy.id.in_(worked_on),
            ),
        )
        .order_by(CaseStudy.published_at, CaseStudy.id)
        .limit(HELD_NOTES)
    ):
        context = mails.case_study_context("case_study_published", case_study, member)
        if context is not None:  # the scoped story as they may see it, else nothing
            text = _("The case study “%(title)s” is published", title=context["title"])
            notes.append({"text": text, "url": context["url"]})
    return notes


def _still_readable(member: Member, item: Notification) -> bool:
    if item.post is not None:
        if not mails.may_read(member, item.post):
            return False
        return item.comment is None or item.comment.state == ContentState.visible
    return item.case_study is not None
