"""Mail digests: daily or weekly, at 08:00 on each member's own clock (issue 20, item 3).

The clock is moved by passing `now`; what the digest gathers is placed in time
by stamping its rows' created_at, so the stories do not depend on today's date.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from network.database import write_transaction
from network.extensions import db
from network.mail import preferences
from network.models import Comment, Member, Notification, OutboxMessage, Post, Visibility
from network.notifications import digest
from tests.support.content import follow, make_comment, make_post


def next_monday() -> datetime:
    """A Monday 00:00 UTC at least a week ahead, so nothing real happened after it."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=7 + (7 - today.weekday()) % 7)


MONDAY = next_monday()


def run(app, now: datetime) -> int:
    with app.app_context():
        return digest.send_due(now)


def digests(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.kind == "digest")
                .order_by(OutboxMessage.id)
            )
        )
        db.session.expunge_all()
        return rows


def set_member(app, member, **values) -> None:
    with app.app_context(), write_transaction() as session:
        session.execute(update(Member).where(Member.id == member.id).values(**values))


def choose(app, member, kind: str, mode: str) -> None:
    with app.app_context(), write_transaction():
        preferences.set_mode(db.session.get(Member, member.id), kind, mode)


def stamp(app, model, row_id: int, when: datetime) -> None:
    with app.app_context(), write_transaction() as session:
        session.execute(update(model).where(model.id == row_id).values(created_at=when))


def post_at(app, author, when: datetime, **fields):
    post = make_post(app, author, **fields)
    stamp(app, Post, post.id, when)
    return post


def test_a_weekly_digest_holds_the_most_discussed_posts_of_people_followed(
    app, customer, employee, intruder
):
    follow(app, customer, employee)
    quiet = post_at(app, employee, MONDAY - timedelta(days=3), title="Quiet tips")
    busy = post_at(app, employee, MONDAY - timedelta(days=2), title="Busy thread")
    for text in ("one", "two"):
        make_comment(app, intruder, busy, text)
    post_at(app, intruder, MONDAY - timedelta(days=2), title="Not followed")
    assert run(app, MONDAY + timedelta(hours=8, minutes=5)) == 1
    (mail,) = digests(app)
    assert mail.recipient == customer.email
    assert "weekly digest" in mail.subject
    assert mail.text.index("Busy thread") < mail.text.index("Quiet tips")  # most discussed first
    assert "2 comments" in mail.text and f"/posts/{quiet.id}" in mail.html
    assert "Not followed" not in mail.text


@pytest.mark.both_databases
def test_before_the_hour_nothing_is_sent_and_each_period_sends_once(app, customer, employee):
    follow(app, customer, employee)
    set_member(app, customer, last_digest_at=MONDAY - timedelta(days=7) + timedelta(hours=9))
    post_at(app, employee, MONDAY - timedelta(days=1), title="Sunday post")
    assert run(app, MONDAY + timedelta(hours=7, minutes=59)) == 0  # 07:59 UTC
    assert run(app, MONDAY + timedelta(hours=8, minutes=1)) == 1
    assert run(app, MONDAY + timedelta(hours=8, minutes=1)) == 0  # the same run again
    assert run(app, MONDAY + timedelta(days=3)) == 0  # later that week
    assert len(digests(app)) == 1
    post_at(app, employee, MONDAY + timedelta(days=2), title="Wednesday post")
    assert run(app, MONDAY + timedelta(days=7, hours=8, minutes=1)) == 1  # the next Monday
    latest = digests(app)[-1]
    assert "Wednesday post" in latest.text and "Sunday post" not in latest.text


def test_daily_members_get_theirs_every_morning_weekly_ones_on_monday(
    app, customer, intruder, employee
):
    for member in (customer, intruder):
        follow(app, member, employee)
        set_member(app, member, last_digest_at=MONDAY + timedelta(hours=8, minutes=30))
    choose(app, customer, "digest", "daily")
    post_at(app, employee, MONDAY + timedelta(hours=12), title="Monday noon")
    tuesday = MONDAY + timedelta(days=1, hours=8, minutes=30)
    assert run(app, tuesday) == 1
    assert [mail.recipient for mail in digests(app)] == [customer.email]
    assert "daily digest" in digests(app)[0].subject
    assert run(app, MONDAY + timedelta(days=7, hours=8, minutes=30)) == 1  # the weekly one
    assert [mail.recipient for mail in digests(app)] == [customer.email, intruder.email]


@pytest.mark.both_databases
def test_each_member_gets_theirs_at_eight_on_their_own_clock(app, member_factory, employee):
    tokyo = member_factory(handle="kenji", display_name="Kenji")
    new_york = member_factory(handle="nora", display_name="Nora")
    monday_afternoon = MONDAY + timedelta(hours=14)  # after 08:00 in New York (13:00 UTC)
    for member, zone in ((tokyo, "Asia/Tokyo"), (new_york, "America/New_York")):
        follow(app, member, employee)
        set_member(app, member, time_zone=zone, last_digest_at=monday_afternoon)
        choose(app, member, "digest", "daily")
    post_at(app, employee, MONDAY + timedelta(hours=15), title="Shared news")
    # 23:30 UTC is 08:30 on Tuesday in Tokyo and 18:30 on Monday in New York
    assert run(app, MONDAY + timedelta(hours=23, minutes=30)) == 1
    assert [mail.recipient for mail in digests(app)] == [tokyo.email]
    # 13:30 UTC on Tuesday is 08:30 in New York (and 22:30 in Tokyo, already served)
    assert run(app, MONDAY + timedelta(days=1, hours=12, minutes=59)) == 0
    assert run(app, MONDAY + timedelta(days=1, hours=13, minutes=30)) == 1
    assert [mail.recipient for mail in digests(app)] == [tokyo.email, new_york.email]


def test_nothing_new_sends_nothing_but_counts_as_done(app, customer, employee):
    follow(app, customer, employee)
    now = MONDAY + timedelta(hours=9)
    assert run(app, now) == 0
    assert digests(app) == []
    with app.app_context():
        assert db.session.get(Member, customer.id).last_digest_at == now


def test_never_means_no_digest(app, customer, employee):
    follow(app, customer, employee)
    choose(app, customer, "digest", "never")
    post_at(app, employee, MONDAY - timedelta(days=1), title="Anything")
    assert run(app, MONDAY + timedelta(hours=9)) == 0
    assert digests(app) == []


def test_replies_held_for_the_digest_are_in_it(app, customer, intruder):
    post = post_at(app, customer, MONDAY - timedelta(days=4), title="My question")
    comment = make_comment(app, intruder, post, "A reply")
    with app.app_context():
        note_id = db.session.scalar(select(Notification.id))
        assert db.session.scalars(select(OutboxMessage)).all() == []  # held, not mailed
    stamp(app, Notification, note_id, MONDAY - timedelta(days=3))
    stamp(app, Comment, comment.id, MONDAY - timedelta(days=3))
    assert run(app, MONDAY + timedelta(hours=9)) == 1
    (mail,) = [m for m in digests(app) if m.recipient == customer.email]
    assert "Ivan Intruder commented on your post “My question”" in mail.text
    assert f"/posts/{post.id}#c1" in mail.text


def test_a_post_hidden_since_is_left_out_and_so_are_members_only_posts_for_outsiders(
    app, customer, employee, moderator, member_factory
):
    follow(app, customer, employee)
    hidden = post_at(app, employee, MONDAY - timedelta(days=2), title="Withdrawn words")
    members = post_at(
        app,
        employee,
        MONDAY - timedelta(days=2),
        title="Members talk",
        visibility=Visibility.members,
    )
    from network.posts import service as posts

    with app.app_context():
        posts.set_post_hidden(db.session.get(Member, moderator.id), hidden.id, True)
    assert run(app, MONDAY + timedelta(hours=9)) == 1
    (mail,) = digests(app)
    assert "Members talk" in mail.text and "Withdrawn words" not in mail.text
    assert f"/posts/{members.id}" in mail.text


def test_the_digest_speaks_the_members_language(app, member_factory, employee):
    olga = member_factory(handle="olga", display_name="Olga", language="ru")
    follow(app, olga, employee)
    post_at(app, employee, MONDAY - timedelta(days=1), title="Новости")
    assert run(app, MONDAY + timedelta(hours=9)) == 1
    (mail,) = digests(app)
    assert "еженедельный дайджест" in mail.subject and "Самое обсуждаемое" in mail.text


def test_run_jobs_sends_the_digests(app, customer, employee, runner):
    follow(app, customer, employee)
    post_at(app, employee, datetime.now(UTC) - timedelta(hours=1), title="Fresh")
    result = runner.invoke(args=["run-jobs"])
    assert result.exit_code == 0, result.output
    assert "mail digests: 1 queued" in result.output
    assert [mail.recipient for mail in digests(app)] == [customer.email]
    again = runner.invoke(args=["run-jobs"])
    assert "mail digests: 0 queued" in again.output


@pytest.mark.both_databases
def test_two_runs_at_once_send_one_digest(app, customer, employee):
    import threading

    follow(app, customer, employee)
    post_at(app, employee, MONDAY - timedelta(days=1), title="Once only")
    now = MONDAY + timedelta(hours=9)
    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def job() -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                counts.append(digest.send_due(now))
            except BaseException as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(counts) == [0, 1]
    assert len(digests(app)) == 1


def test_a_story_published_while_its_mail_waits_for_the_digest_is_in_it(app, customer, employee):
    from tests.support import case_studies as stories

    choose(app, customer, "case_study_published", "digest")
    case_study_id = stories.published_case_study(app, employee, customer)
    with app.app_context():
        kinds = [m.kind for m in db.session.scalars(select(OutboxMessage))]
    assert "case_study_published" not in kinds  # held back
    with app.app_context(), write_transaction() as session:
        from network.models import CaseStudy

        session.execute(
            update(CaseStudy)
            .where(CaseStudy.id == case_study_id)
            .values(published_at=MONDAY - timedelta(days=1))
        )
    assert run(app, MONDAY + timedelta(hours=9)) == 1
    (mail,) = digests(app)
    assert mail.recipient == customer.email
    assert f"The case study “{stories.STORY['title']}” is published" in mail.text
    assert f"/case-studies/{case_study_id}" in mail.text
