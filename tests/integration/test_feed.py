"""The home feed: own and followed posts, pinned announcements, keyset pages (issue 5, 4)."""

from __future__ import annotations

from datetime import date, timedelta

from network.extensions import db
from network.models import Member
from tests.support.content import follow, make_comment, make_post


def titles(page_html: str) -> list[str]:
    import re

    return re.findall(
        r'id="post-\d+-title" class="card-title"><a href="[^"]+">([^<]+)</a>', page_html
    )


def test_the_feed_holds_own_and_followed_posts_newest_first(
    app, customer, employee, intruder, as_member
):
    make_post(app, customer, title="mine 1")
    make_post(app, employee, title="followed 1", visibility="members")
    make_post(app, intruder, title="stranger 1")
    make_post(app, customer, title="mine 2")
    follow(app, customer, employee)
    page = as_member(customer).get("/feed").get_data(as_text=True)
    assert titles(page) == ["mine 2", "followed 1", "mine 1"]
    assert "stranger 1" not in page


def test_announcements_are_pinned_on_everyones_feed_until_their_date(
    app, customer, employee, as_member
):
    make_post(app, customer, title="ordinary")
    make_post(app, employee, title="Big news", pinned_until=date.today() + timedelta(days=3))
    make_post(app, customer, title="newer ordinary")
    page = as_member(customer).get("/feed").get_data(as_text=True)
    assert titles(page) == ["Big news", "newer ordinary", "ordinary"]
    assert "Announcement" in page


def test_an_empty_feed_says_what_to_do(customer, as_member):
    page = as_member(customer).get("/feed").get_data(as_text=True)
    assert "Your feed is empty for now." in page


def test_pages_of_twenty_with_an_opaque_cursor(app, customer, as_member):
    for index in range(45):
        make_post(app, customer, title=f"post {index:02d}")
    browser = as_member(customer)
    seen: list[str] = []
    url = "/feed"
    for _ in range(5):
        page = browser.get(url).get_data(as_text=True)
        seen += titles(page)
        if 'rel="next"' not in page:
            break
        url = page.split('" rel="next"')[0].rsplit('href="', 1)[1].replace("&amp;", "&")
    assert seen == [f"post {index:02d}" for index in range(44, -1, -1)]


def test_a_forged_cursor_is_a_bad_request(customer, as_member):
    browser = as_member(customer)
    for cursor in ("garbage", "eyJ4Ijoy", "W10", "WyJub3QgYSBkYXRlIiwgMV0", "A" * 500):
        assert browser.get(f"/feed?cursor={cursor}").status_code == 400


def test_each_item_shows_its_latest_two_comments(app, customer, employee, as_member):
    post = make_post(app, customer, title="discussed")
    for text in ("first", "second", "third"):
        make_comment(app, employee, post, text)
    page = as_member(customer).get("/feed").get_data(as_text=True)
    assert "second" in page and "third" in page and ": first" not in page
    assert "3 comments" in page


def test_a_feed_page_costs_the_same_queries_however_full(app, member_factory, count_queries):
    from network.posts.feed import home_feed

    reader = member_factory(handle="reader")
    authors = [member_factory() for _ in range(6)]

    def feed_queries() -> int:
        with app.app_context():
            viewer = db.session.get(Member, reader.id)
            with count_queries() as counted:
                page = home_feed(viewer)
                # what a template touches: authors and comment authors
                for post in page.items:
                    _ = post.author.display_name, post.comment_count
                    for comment in page.latest_comments.get(post.id, []):
                        _ = comment.author.display_name
            return counted.count

    for author in authors[:2]:
        follow(app, reader, author)
        make_post(app, author)
    small = feed_queries()
    for author in authors[2:]:
        follow(app, reader, author)
    for index, author in enumerate(authors * 4):
        post = make_post(app, author, title=f"p{index}")
        make_comment(app, authors[index % 6], post, "c1")
        make_comment(app, authors[(index + 1) % 6], post, "c2")
    assert feed_queries() == small
