"""Fragments (network/fragments): shared by every viewer, keyed by what they show (issue 19).

Each test renders a page so that its fragments are kept, changes something,
and checks that the next viewer sees the change (the key moved) and never
another viewer's links, a withdrawn story or a hidden post.
"""

from __future__ import annotations

import re

from network.fragments.store import COUNTS
from network.posts import comments as comment_service
from network.posts import service as post_service
from network.profiles.service import ProfileChanges, update_profile
from tests.support import case_studies as stories
from tests.support.content import _actor, follow, make_comment, make_post
from tests.support.people import post_form


def html_of(browser, path: str, status: int = 200) -> str:
    answer = browser.get(path)
    assert answer.status_code == status, path
    return answer.get_data(as_text=True)


def lookups(kind: str) -> tuple[int, int]:
    return COUNTS.get(kind, "hit"), COUNTS.get(kind, "miss")


# Shared by every viewer ------------------------------------------------------------------------


def test_a_card_rendered_for_one_member_is_served_to_the_next(app, customer, employee, as_member):
    post = make_post(app, employee, "Descale the boiler monthly")
    make_comment(app, customer, post, "Thanks, that fixed it")
    follow(app, customer, employee)
    hits, misses = lookups("post")
    first = html_of(as_member(employee), "/feed")
    assert lookups("post") == (hits, misses + 1)
    second = html_of(as_member(customer), "/feed")
    assert lookups("post") == (hits + 1, misses + 1)  # the same card, not rendered again
    card = re.compile(r'<article class="card post-card.*?</article>', re.S)
    assert card.findall(first) == card.findall(second)
    assert "Thanks, that fixed it" in second


def test_comments_are_served_from_the_cache_on_the_next_look(app, customer, employee, as_member):
    post = make_post(app, employee, "Grind size matters")
    for number in range(3):
        make_comment(app, customer, post, f"Comment number {number}")
    html_of(as_member(customer), f"/posts/{post.id}")
    hits, misses = lookups("comment")
    html = html_of(as_member(employee), f"/posts/{post.id}")
    assert lookups("comment") == (hits + 3, misses)
    assert all(f"Comment number {number}" in html for number in range(3))


# Keys move with what they show -----------------------------------------------------------------


def test_an_edited_post_shows_its_new_text_on_every_page(app, customer, as_member):
    post = make_post(app, customer, "Original wording")
    browser = as_member(customer)
    assert "Original wording" in html_of(browser, "/feed")
    assert "Original wording" in html_of(browser, f"/posts/{post.id}")
    with app.app_context():
        post_service.edit_post(
            _actor(customer),
            post.id,
            version=1,
            title=None,
            body="Better wording",
            visibility="public",
        )
    for path in ("/feed", f"/posts/{post.id}"):
        html = html_of(browser, path)
        assert "Better wording" in html and "Original wording" not in html, path
    front = html_of(app.test_client(), "/")
    assert "Better wording" in front and "Original wording" not in front


def test_an_edited_comment_shows_its_new_text(app, customer, employee, as_member):
    post = make_post(app, employee, "Milk temperature")
    comment = make_comment(app, customer, post, "Sixty degrees")
    browser = as_member(employee)
    assert "Sixty degrees" in html_of(browser, f"/posts/{post.id}")
    assert "Sixty degrees" in html_of(browser, "/feed")  # the card's latest comments
    with app.app_context():
        comment_service.edit_comment(
            _actor(customer), comment.id, version=1, body="Sixty-five degrees"
        )
    for path in (f"/posts/{post.id}", "/feed"):
        html = html_of(browser, path)
        assert "Sixty-five degrees" in html and "Sixty degrees" not in html, path


def test_a_renamed_author_is_shown_by_the_new_name_everywhere(app, customer, employee, as_member):
    post = make_post(app, customer, "My first espresso")
    make_comment(app, customer, post, "And my second")
    follow(app, employee, customer)
    reader = as_member(employee)
    old_name = customer.display_name
    assert old_name in html_of(reader, "/feed")
    assert old_name in html_of(reader, f"/posts/{post.id}")
    with app.app_context():
        update_profile(_actor(customer), ProfileChanges(display_name="Carla Barista"), version=0)
    for path in ("/feed", f"/posts/{post.id}"):
        html = html_of(reader, path)
        assert "Carla Barista" in html and old_name not in html, path


# What a fragment can never show ----------------------------------------------------------------


def test_a_withdrawn_case_study_leaves_the_feed_and_front_page_at_once(
    app, client, customer, employee, as_member
):
    case_study = stories.published_case_study(app, employee, customer)
    reader = as_member(employee)
    marker = f'data-case-study-id="{case_study}"'
    assert marker in html_of(reader, "/feed")
    assert marker in html_of(client, "/")
    hits = COUNTS.get("case_study", "hit")
    assert marker in html_of(client, "/")
    assert COUNTS.get("case_study", "hit") == hits + 1  # its card is kept
    stories.withdraw(app, customer, case_study)
    for browser, path in ((reader, "/feed"), (client, "/")):
        html = html_of(browser, path)
        assert marker not in html and stories.STORY["title"] not in html, path


def test_a_hidden_post_is_never_served_to_whom_may_not_see_it(
    app, client, customer, intruder, moderator, as_member
):
    post = make_post(app, customer, "Borderline remark")
    follow(app, intruder, customer)
    reader = as_member(intruder)
    assert "Borderline remark" in html_of(reader, "/feed")  # its card is now kept
    assert "Borderline remark" in html_of(reader, f"/posts/{post.id}")
    mod = as_member(moderator)
    assert post_form(mod, f"/posts/{post.id}/hide").status_code == 302
    assert "Borderline remark" not in html_of(reader, "/feed")
    assert "Borderline remark" not in html_of(client, "/")
    html_of(reader, f"/posts/{post.id}", 404)
    html_of(client, f"/posts/{post.id}", 404)
    # Whoever may still see it sees it as hidden: the state is in the key.
    shown = html_of(mod, f"/posts/{post.id}")
    assert "Borderline remark" in shown and "badge-warning" in shown
    assert "badge-warning" in html_of(as_member(customer), "/feed")


def test_a_hidden_comment_reaches_moderators_only(app, customer, employee, moderator, as_member):
    post = make_post(app, employee, "Steam wand tips")
    comment = make_comment(app, customer, post, "Rude words here")
    mod = as_member(moderator)
    assert "Rude words here" in html_of(mod, f"/posts/{post.id}")
    assert post_form(mod, f"/comments/{comment.id}/hide").status_code in (200, 302, 303)
    assert "Rude words here" in html_of(mod, f"/posts/{post.id}")
    html = html_of(as_member(employee), f"/posts/{post.id}")
    assert "Rude words here" not in html
    assert "Comment hidden by a moderator." in html


def test_another_members_links_never_come_with_a_shared_fragment(
    app, customer, intruder, moderator, as_member
):
    post = make_post(app, customer, "My own post")
    comment = make_comment(app, customer, post, "My own comment")
    follow(app, intruder, customer)
    owner = as_member(customer)
    page = html_of(owner, f"/posts/{post.id}")
    own_links = (
        f"/posts/{post.id}/edit",
        f"/posts/{post.id}/delete",
        f"/comments/{comment.id}/edit",
        f"/comments/{comment.id}/delete",
    )
    assert all(link in page for link in own_links)
    html_of(owner, "/feed")
    moderation = html_of(as_member(moderator), f"/posts/{post.id}")
    assert f"/posts/{post.id}/hide" in moderation
    assert f"/comments/{comment.id}/hide" in moderation
    hits = COUNTS.get("comment", "hit")
    other = html_of(as_member(intruder), f"/posts/{post.id}")
    assert COUNTS.get("comment", "hit") == hits + 1  # the very fragment the owner was shown
    assert "My own comment" in other
    for link in (*own_links, f"/posts/{post.id}/hide", f"/comments/{comment.id}/hide"):
        assert link not in other, link
    assert not any(link in html_of(as_member(intruder), "/feed") for link in own_links)


def test_a_russian_reader_never_gets_an_english_fragment(
    app, customer, employee, member_factory, as_member
):
    post = make_post(app, employee, "Cleaning schedule")
    make_comment(app, customer, post, "Weekly works for us")
    case_study = stories.published_case_study(app, employee, customer)
    english = as_member(employee)
    assert "1 comment" in html_of(english, "/feed")
    assert "Customer story" in html_of(english, "/feed")
    assert "staff" in html_of(english, f"/posts/{post.id}")
    reader = member_factory(language="ru")
    follow(app, reader, employee)
    russian = as_member(reader)
    feed = html_of(russian, "/feed")
    assert "1 комментарий" in feed and "1 comment<" not in feed
    assert "История клиента" in feed and "Customer story" not in feed
    assert f'data-case-study-id="{case_study}"' in feed
    page = html_of(russian, f"/posts/{post.id}")
    assert "сотрудник" in page and ">staff<" not in page


# Counters at /metrics --------------------------------------------------------------------------


def test_metrics_count_fragment_hits_and_misses_by_kind(app, client, customer):
    make_post(app, customer, "Counted")
    client.get("/")
    client.get("/")
    text = client.get("/metrics").get_data(as_text=True)
    for result in ("hit", "miss"):
        pattern = rf'network_fragment_cache_requests_total\{{kind="post",result="{result}"\}} (\d+)'
        found = re.search(pattern, text)
        assert found and float(found.group(1)) >= 1, result
