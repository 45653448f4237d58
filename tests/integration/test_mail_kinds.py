"""Which mail each event queues, for whom, and what it may say (issue 20, item 2).

Each story goes through the real page or service and reads the outbox rows
from the database; delivery is the sender's business (test_mail_outbox).
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from sqlalchemy import select, update

from network.database import write_transaction
from network.extensions import db
from network.mail import preferences
from network.models import (
    CaseStudyConsent,
    Member,
    MemberStatus,
    OutboxMessage,
    Visibility,
)
from tests.support import case_studies as stories
from tests.support.content import make_comment, make_post
from tests.support.pages import csrf_token


def outbox(app) -> list[tuple[str, str]]:
    """(recipient address, kind) of every queued message, in order."""
    with app.app_context():
        return [
            (row.recipient, row.kind)
            for row in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


def messages(app, kind: str) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))
        db.session.expunge_all()
        return rows


def comment_on(browser, post_id: int, body: str):
    page = browser.get(f"/posts/{post_id}").get_data(as_text=True)
    found = re.search(r'name="key" type="hidden" value="([^"]+)"', page)
    key = found.group(1) if found else "key-" + uuid.uuid4().hex
    response = browser.post(
        f"/posts/{post_id}/comments",
        data={"body": body, "key": key, "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response


def choose(app, member, kind: str, mode: str) -> None:
    with app.app_context(), write_transaction():
        preferences.set_mode(db.session.get(Member, member.id), kind, mode)


def test_a_staff_answer_mails_the_customer_who_asked_at_once(app, customer, employee, as_member):
    post = make_post(app, customer, title="Grinder noise")
    comment_on(as_member(employee), post.id, "Descale it, then run it empty for a minute.")
    assert outbox(app) == [(customer.email, "staff_reply")]  # none for the employee
    (mail,) = messages(app, "staff_reply")
    assert "Grinder noise" in mail.subject and "Emma Employee" in mail.subject
    assert "Descale it" in mail.text and "Descale it" in mail.html
    assert f"/posts/{post.id}#c1" in mail.text
    assert mail.member_id == customer.id and mail.thread_ref


def test_mails_of_one_post_share_a_thread(app, customer, employee):
    post = make_post(app, customer, title="Steam wand")
    make_comment(app, employee, post, "First answer")
    make_comment(app, employee, post, "Second answer")
    other = make_post(app, customer, title="Another")
    make_comment(app, employee, other, "Elsewhere")
    refs = [mail.thread_ref for mail in messages(app, "staff_reply")]
    assert len(refs) == 3 and refs[0] == refs[1] != refs[2]


def test_a_customer_reply_is_a_comment_reply_and_waits_for_the_digest(
    app, customer, intruder, employee
):
    post = make_post(app, customer, title="Milk frothing")
    make_comment(app, intruder, post, "Whole milk works best")
    assert outbox(app) == []  # comment_reply defaults to the digest
    choose(app, customer, "comment_reply", "now")
    make_comment(app, intruder, post, "And cold, too")
    assert outbox(app) == [(customer.email, "comment_reply")]
    (mail,) = messages(app, "comment_reply")
    assert "Ivan Intruder" in mail.subject and "And cold, too" in mail.text


def test_staff_answers_to_staff_are_comment_replies(app, employee, admin):
    post = make_post(app, employee, title="Internal note")
    make_comment(app, admin, post, "Noted")
    assert outbox(app) == []  # comment_reply: digest by default, and never staff_reply
    choose(app, employee, "comment_reply", "now")
    make_comment(app, admin, post, "Again")
    assert outbox(app) == [(employee.email, "comment_reply")]


def test_a_mention_mails_the_member_named(app, customer, intruder, moderator, as_member):
    post = make_post(app, customer, title="Cleaning tablets")
    comment_on(as_member(intruder), post.id, "@mona could you pin this?")
    assert (moderator.email, "mention") in outbox(app)
    assert all(address != intruder.email for address, _ in outbox(app))
    (mail,) = messages(app, "mention")
    assert "could you pin this?" in mail.text and "Cleaning tablets" in mail.subject


def test_never_and_digest_keep_the_mail_back(app, customer, employee, moderator):
    choose(app, customer, "staff_reply", "never")
    choose(app, moderator, "mention", "digest")
    post = make_post(app, customer, title="Quiet please")
    make_comment(app, employee, post, "Answer for @mona")
    assert outbox(app) == []


def test_a_reader_who_may_not_read_the_post_gets_no_mail(
    app, customer, intruder, employee, moderator
):
    post = make_post(app, customer, title="Members only", visibility=Visibility.members)
    make_comment(app, intruder, post, "me too")
    with app.app_context(), write_transaction() as session:
        # waiting for approval again: no permission to read members-only posts
        session.execute(
            update(Member).where(Member.id == intruder.id).values(status=MemberStatus.pending)
        )
    make_comment(app, employee, post, "Answer")
    assert outbox(app) == [(customer.email, "staff_reply")]


def test_a_suspended_customer_gets_no_mail(app, customer, employee):
    post = make_post(app, customer, title="Before suspension")
    with app.app_context(), write_transaction() as session:
        session.execute(
            update(Member).where(Member.id == customer.id).values(status=MemberStatus.suspended)
        )
    make_comment(app, employee, post, "Answer")
    assert outbox(app) == []


def test_a_consent_request_mails_the_customer_the_review_link(app, customer, employee):
    stories.opt_in(app, customer)
    case_study_id = stories.make_case_study(app, employee, customer)
    stories.ask(app, employee, case_study_id)
    assert outbox(app) == [(customer.email, "consent_request")]
    (mail,) = messages(app, "consent_request")
    assert f"/case-studies/{case_study_id}/review" in mail.text
    assert stories.STORY["title"] in mail.text


def test_a_consent_request_set_to_never_is_not_mailed(app, customer, employee):
    choose(app, customer, "consent_request", "never")
    stories.opt_in(app, customer)
    stories.ask(app, employee, stories.make_case_study(app, employee, customer))
    assert outbox(app) == []


def test_publication_mails_the_customer_and_the_team_but_not_the_publisher(
    app, customer, employee, admin
):
    stories.opt_in(app, customer)
    case_study_id = stories.make_case_study(app, employee, customer)
    stories.ask(app, employee, case_study_id)
    stories.grant(app, customer, case_study_id, name="anonymous", company="hidden")
    stories.publish(app, admin, case_study_id)
    published = sorted(a for a, kind in outbox(app) if kind == "case_study_published")
    assert published == sorted([customer.email, employee.email])
    for mail in messages(app, "case_study_published"):
        # the scoped story: an anonymous customer is not named (but greeted, in their own mail)
        story = mail.text.split("\n", 1)[1]
        assert "Carla" not in story and stories.COMPANY not in story
        assert f"/case-studies/{case_study_id}" in mail.text


def test_the_team_is_mailed_before_a_consent_expires(app, customer, employee, runner):
    case_study_id = stories.published_case_study(app, employee, customer)
    with app.app_context(), write_transaction() as session:
        consent = session.scalar(
            select(CaseStudyConsent).where(CaseStudyConsent.case_study_id == case_study_id)
        )
        from network.case_studies import access

        consent.expires_on = access.today() + timedelta(days=10)
    before = len(outbox(app))
    result = runner.invoke(args=["run-jobs"])
    assert result.exit_code == 0, result.output
    assert outbox(app)[before:] == [(employee.email, "case_study_expiring")]
    (mail,) = messages(app, "case_study_expiring")
    assert stories.STORY["title"] in mail.text
    runner.invoke(args=["run-jobs"])
    assert len(messages(app, "case_study_expiring")) == 1  # once


def test_mail_goes_in_the_recipients_language(app, member_factory, employee):
    russian = member_factory(handle="olga", display_name="Olga", language="ru")
    post = make_post(app, russian, title="Кофемолка")
    make_comment(app, employee, post, "Ответ")
    (mail,) = messages(app, "staff_reply")
    assert "Читать и ответить" in mail.text, mail.text


def test_what_a_member_typed_is_escaped_in_the_html_part(app, customer, employee):
    post = make_post(app, customer, title="<img src=x onerror=alert(1)> tips")
    make_comment(app, employee, post, 'Try <script>alert("x")</script> & see')
    (mail,) = messages(app, "staff_reply")
    assert "<script>" not in mail.html and "<img src=x" not in mail.html
    assert "&lt;img src=x onerror=alert(1)&gt; tips" in mail.html
