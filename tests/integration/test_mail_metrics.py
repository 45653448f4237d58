"""The outbox depth at /metrics (issue 18, item 5): pending mail and its oldest age, per scrape."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update

from network import mail
from network.database import write_transaction
from network.extensions import db
from network.mail import sender
from network.models import Member, OutboxMessage, utcnow


def samples(client) -> dict[tuple[str, tuple], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    found = {}
    for family in text_string_to_metric_families(answer.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_the_mail_outbox_depth_is_read_at_scrape_time(app, client, customer):
    assert samples(client)[("network_mail_outbox_pending", ())] == 0
    assert samples(client)[("network_mail_outbox_oldest_pending_seconds", ())] == 0
    with app.app_context():
        carla = db.session.get(Member, customer.id)
        with write_transaction() as session:
            for n in range(3):
                mail.enqueue(carla, "staff_reply", "plain", {"subject": f"s{n}", "body": "b"})
            session.flush()
            session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(hours=1)))
    found = samples(client)
    assert found[("network_mail_outbox_pending", ())] == 3
    assert 3590 < found[("network_mail_outbox_oldest_pending_seconds", ())] < 3700
    with app.app_context():
        app.config["SMTP_HOST"] = None
        assert sender.deliver_due().sent == 3
    assert samples(client)[("network_mail_outbox_pending", ())] == 0
