"""The transactional outbox (issue 20, item 1): mail is written with what caused it, or not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from network import mail
from network.database import write_transaction
from network.exceptions import Invalid
from network.extensions import db
from network.mail import outbox, preferences
from network.models import Member, MemberStatus, OutboxMessage, OutboxStatus, Role
from tests.support.people import make_member


def rows() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_message_is_written_by_the_callers_commit_and_not_before(ctx, outbox):
    carla = make_member(handle="carla")
    with write_transaction():
        message = mail.enqueue(carla, "staff_reply", "plain", {"subject": "Hi", "body": "Hello"})
        assert message is not None
        assert outbox == []  # not committed yet: nobody hears of it
    assert [(m["to"], m["subject"], m["kind"]) for m in outbox] == [
        (carla.email, "Hi", "staff_reply")
    ]
    [row] = rows()
    assert row.status == OutboxStatus.pending and row.attempts == 0
    assert row.member_id == carla.id and row.recipient == carla.email


def test_a_rolled_back_write_leaves_no_mail(ctx, outbox):
    carla = make_member(handle="carla")
    with pytest.raises(RuntimeError), write_transaction():
        mail.enqueue(carla, "staff_reply", "plain", {"subject": "Hi", "body": "Hello"})
        raise RuntimeError("the write that caused it failed")
    assert rows() == []
    assert outbox == []


@pytest.mark.parametrize(
    "status", [MemberStatus.suspended, MemberStatus.deleted, MemberStatus.deactivated]
)
def test_members_who_may_not_get_mail_get_none(ctx, outbox, status):
    gone = make_member(handle="gone", status=status)
    with write_transaction():
        assert mail.enqueue(gone, "account", "plain", {"subject": "x", "body": "y"}) is None
    mail.send(gone.email, "Reset", "link")  # the shim looks the address up
    assert rows() == [] and outbox == []


def test_preferences_decide_what_is_written_now(ctx):
    carla = make_member(handle="carla")
    context = {"subject": "s", "body": "b"}
    with write_transaction():
        # comment replies wait for the digest by default
        assert mail.enqueue(carla, "comment_reply", "plain", context) is None
        preferences.set_mode(carla, "staff_reply", "never")
        preferences.set_mode(carla, "comment_reply", "now")
    with write_transaction():
        assert mail.enqueue(carla, "staff_reply", "plain", context) is None
        assert mail.enqueue(carla, "comment_reply", "plain", context) is not None
        assert mail.enqueue(carla, "digest", "plain", context) is not None  # weekly by default
        preferences.set_mode(carla, "digest", "never")
    with write_transaction():
        assert mail.enqueue(carla, "digest", "plain", context) is None
    assert [row.kind for row in rows()] == ["comment_reply", "digest"]


def test_preferences_keep_only_what_differs_from_the_default(ctx):
    carla = make_member(handle="carla")
    assert preferences.modes_for(carla) == {
        kind: rules.default for kind, rules in preferences.KINDS.items()
    }
    with write_transaction():
        preferences.set_mode(carla, "mention", "digest")
        preferences.set_mode(carla, "digest", "daily")
    assert preferences.mode_for(carla, "mention") == "digest"
    assert preferences.modes_for(carla)["digest"] == "daily"
    with write_transaction():
        preferences.set_mode(carla, "mention", "now")  # back to the default: the row goes
        preferences.set_mode(carla, "mention", "now")
    from network.models import MailPreference

    stored = db.session.scalars(select(MailPreference.kind)).all()
    assert stored == ["digest"]


@pytest.mark.parametrize(
    ("kind", "mode"),
    [
        ("account", "never"),
        ("invitation", "never"),
        ("mention", "weekly"),
        ("digest", "now"),
        ("nope", "now"),
    ],
)
def test_preferences_refuse_what_a_kind_does_not_offer(ctx, kind, mode):
    carla = make_member(handle="carla")
    with pytest.raises(Invalid), write_transaction():
        preferences.set_mode(carla, kind, mode)
    with pytest.raises(Invalid):
        mail.enqueue(carla, "nope", "plain", {})


def test_invitations_go_to_an_address_without_an_unsubscribe_link(ctx):
    with write_transaction():
        message = mail.enqueue(
            "new.person@example.com", "invitation", "plain", {"subject": "Join", "body": "b"}
        )
    assert message.member_id is None
    assert "List-Unsubscribe" not in message.headers
    assert "/mail/unsubscribe/" not in message.text


def test_optional_mail_carries_unsubscribe_and_threading_headers(ctx, app):
    app.config["PUBLIC_URL"] = "https://community.example.com"
    carla = make_member(handle="carla")
    with write_transaction():
        first = mail.enqueue(
            carla, "staff_reply", "plain", {"subject": "a", "body": "b"}, thread_key="post:7"
        )
        second = mail.enqueue(
            carla, "staff_reply", "plain", {"subject": "a", "body": "c"}, thread_key="post:7"
        )
        other = mail.enqueue(
            carla, "staff_reply", "plain", {"subject": "a", "body": "d"}, thread_key="post:8"
        )
    url = first.headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://community.example.com/mail/unsubscribe/")
    assert first.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in first.text and url in first.html
    assert first.message_id.endswith("@community.example.com>")
    assert first.message_id != second.message_id
    assert first.headers["In-Reply-To"] == second.headers["In-Reply-To"] == first.thread_ref
    assert first.headers["References"] == first.thread_ref
    assert other.thread_ref != first.thread_ref
    assert first.thread_ref == outbox.thread_root("post:7", "community.example.com")


def test_mail_is_rendered_in_the_recipients_language_with_the_community_name(ctx):
    olga = make_member(handle="olga", language="ru")
    with write_transaction():
        message = mail.enqueue(olga, "mention", "plain", {"subject": "Тема", "body": "Текст"})
    assert message.subject == "Тема"
    assert "Сообщество" in message.html  # the base speaks Russian
    assert '<html lang="ru">' in message.html
    assert "Текст" in message.text


def test_send_keeps_working_for_earlier_callers(ctx, outbox):
    make_member(handle="carla", email="carla@example.com")
    mail.send("carla@example.com", "Welcome", "Open http://localhost/x to start.")
    [row] = rows()
    assert row.kind == "account" and row.subject == "Welcome"
    assert '<a href="http://localhost/x">' in row.html
    assert outbox[0]["body"].startswith("Open http://localhost/x to start.")
    # inside a caller's write transaction it commits with it
    with write_transaction():
        mail.send("carla@example.com", "Second", "b")
        assert len(outbox) == 1
    assert len(outbox) == 2 and len(rows()) == 2


def test_the_html_part_escapes_what_it_is_given(ctx):
    make_member(handle="carla", email="carla@example.com")
    mail.send("carla@example.com", "x", "<script>alert(1)</script> & more")
    [row] = rows()
    assert "<script>" not in row.html
    assert "&lt;script&gt;" in row.html


def test_a_member_made_staff_still_gets_mail(ctx):
    emma = make_member(handle="emma", role=Role.employee)
    with write_transaction():
        assert mail.enqueue(emma, "consent_request", "plain", {"subject": "s", "body": "b"})
    assert db.session.get(Member, emma.id) is not None


def test_send_frames_the_message_in_the_language_its_caller_wrote_it_in(app):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("ru"):
        mail.send("new.address@example.com", "Подтвердите адрес", "Ссылка")
        [row] = rows()
    assert row.subject == "Подтвердите адрес"
    assert '<html lang="ru">' in row.html and "Сообщество" in row.text
