"""Per-post seq and n stay gap-free under concurrent writers, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import threading

import pytest

from network.extensions import db
from network.models import Comment, ConversationEvent, Member
from tests.support.content import make_post


@pytest.mark.both_databases
def test_concurrent_comments_and_edits_number_without_gaps(app, customer, intruder, employee):
    from network.posts import comments

    post = make_post(app, customer)
    writers = [customer, intruder, employee, customer, intruder, employee]
    per_writer = 8
    errors: list[BaseException] = []

    def write(member: Member, seed: int) -> None:
        chance = random.Random(seed)
        with app.app_context():
            try:
                actor = db.session.get(Member, member.id)
                mine = []
                for index in range(per_writer):
                    comment = comments.add_comment(actor, post.id, f"{member.handle} {index}")
                    mine.append(comment)
                    if chance.random() < 0.4:
                        latest = comments.load_comment(comment.id)
                        comments.edit_comment(
                            actor,
                            comment.id,
                            version=latest.version,
                            body=f"{member.handle} {index} edited",
                        )
            except BaseException as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(m, i)) for i, m in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    with app.app_context():
        seqs = sorted(c.seq for c in db.session.query(Comment).filter_by(post_id=post.id))
        ns = [
            e.n
            for e in db.session.query(ConversationEvent)
            .filter_by(post_id=post.id)
            .order_by(ConversationEvent.n)
        ]
        total = len(writers) * per_writer
        assert seqs == list(range(1, total + 1))
        assert ns == list(range(1, len(ns) + 1))
        assert len(ns) >= total
        from network.models import Post

        stored = db.session.get(Post, post.id)
        assert (stored.last_seq, stored.last_n, stored.comment_count) == (total, len(ns), total)
        # each comment's n is the number of its latest change
        latest = {}
        for event in db.session.query(ConversationEvent).filter_by(post_id=post.id):
            latest[event.comment_id] = max(latest.get(event.comment_id, 0), event.n)
        for comment in db.session.query(Comment).filter_by(post_id=post.id):
            assert comment.n == latest[comment.id]


def test_events_after_n_replay_exactly_the_missed_changes(app, customer):
    from network.posts import comments

    post = make_post(app, customer)
    with app.app_context():
        actor = db.session.get(Member, customer.id)
        first = comments.add_comment(actor, post.id, "a")
        comments.add_comment(actor, post.id, "b")
        comments.edit_comment(actor, first.id, version=1, body="a2")
        comments.delete_comment(actor, first.id)
        from network.models import Post

        stored = db.session.get(Post, post.id)
        missed = comments.events_after(stored, after_n=1)
        assert [(e.n, e.kind.value) for e in missed] == [
            (2, "comment"),
            (3, "comment_updated"),
            (4, "comment_deleted"),
        ]
        assert missed[0].comment.author.handle == "carla"
        assert comments.events_after(stored, after_n=4) == []
