"""In Chromium, two people on one post: comments arrive live, and a cut socket heals by n."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import PASSWORD, create_member, signed_in
from tests.support.servers import flask_command

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def comment(page, text: str) -> None:
    page.get_by_label("Your comment").fill(text)
    page.get_by_role("button", name="Comment").click()
    expect(page.locator(".comment-body", has_text=text)).to_be_visible()


def live(page) -> None:
    expect(page.locator("#comments")).to_be_visible()
    for _ in range(50):
        if page.evaluate(
            "() => !!(window.networkConversation && window.networkConversation.socket.connected)"
        ):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the page's socket never connected")


def test_comments_arrive_live_and_a_cut_socket_catches_up_in_order(
    gunicorn_server, new_page, tmp_path
):
    server = gunicorn_server()
    create_member(server, tmp_path, "anna", "Anna Author")
    create_member(server, tmp_path, "boris", "Boris Reader")
    anna = signed_in(new_page, server, "anna")
    anna.goto(server.url + "/posts/new")
    anna.get_by_label("Text").fill("How do you descale the machine?")
    anna.get_by_role("button", name="Publish").click()
    post_url = anna.url

    boris = signed_in(new_page, server, "boris")
    boris.goto(post_url)
    live(boris)
    comment(anna, "First tip: use citric acid.")
    expect(boris.locator(".comment-body", has_text="First tip")).to_be_visible(timeout=2000)

    boris.evaluate("() => window.networkConversation.socket.disconnect()")
    for text in ("Second", "Third", "Fourth"):
        comment(anna, f"{text} tip.")
    first = anna.locator(".comment", has_text="First tip")
    first.get_by_role("link", name="Edit").click()
    anna.get_by_label("Comment").fill("First tip: use citric acid, 2 spoons.")
    anna.get_by_role("button", name="Save").click()
    expect(boris.locator(".comment-body", has_text="Second tip")).to_have_count(0)

    boris.evaluate("() => window.networkConversation.socket.connect()")
    expect(boris.locator(".comment-body", has_text="Fourth tip")).to_be_visible(timeout=5000)
    bodies = boris.locator("#comment-list .comment-body").all_inner_texts()
    assert bodies == [
        "First tip: use citric acid, 2 spoons.",
        "Second tip.",
        "Third tip.",
        "Fourth tip.",
    ]
    assert boris.evaluate("() => window.networkConversation.lastN()") == 5
    seqs = [
        int(s)
        for s in boris.locator("#comment-list .comment").evaluate_all(
            "items => items.map(i => i.dataset.seq)"
        )
    ]
    assert seqs == [1, 2, 3, 4]
    assert re.search(r"/posts/\d+$", post_url)


def test_signing_out_in_one_tab_closes_the_socket_of_another(gunicorn_server, new_page, tmp_path):
    server = gunicorn_server()
    create_member(server, tmp_path, "anna", "Anna Author")
    first_tab = signed_in(new_page, server, "anna")
    first_tab.goto(server.url + "/posts/new")
    first_tab.get_by_label("Text").fill("Hello")
    first_tab.get_by_role("button", name="Publish").click()
    second_tab = first_tab.context.new_page()  # same browser, same cookies
    second_tab.goto(first_tab.url)
    live(second_tab)
    first_tab.get_by_role("button", name="Sign out").click()
    for _ in range(20):
        if not second_tab.evaluate("() => window.networkConversation.socket.connected"):
            break
        second_tab.wait_for_timeout(100)
    assert second_tab.evaluate("() => window.networkConversation.socket.connected") is False


def test_readers_see_who_is_typing_and_which_staff_are_here(gunicorn_server, new_page, tmp_path):
    server = gunicorn_server()
    create_member(server, tmp_path, "anna", "Anna Author")
    secret = tmp_path / "emma.pw"
    secret.write_text(PASSWORD + "\n")
    flask_command(
        server.env,
        "create-user",
        "emma@example.com",
        "--handle",
        "emma",
        "--role",
        "employee",
        "--name",
        "Emma Support",
        "--password-file",
        str(secret),
    )
    anna = signed_in(new_page, server, "anna")
    anna.goto(server.url + "/posts/new")
    anna.get_by_label("Text").fill("The grinder is noisy")
    anna.get_by_role("button", name="Publish").click()
    live(anna)
    emma = signed_in(new_page, server, "emma")
    emma.goto(anna.url)
    live(emma)
    expect(anna.locator("#presence-status")).to_contain_text("Staff here: emma", timeout=3000)
    emma.get_by_label("Your comment").press_sequentially("Let me check")
    expect(anna.locator("#typing-status")).to_have_text("Emma Support is typing…", timeout=3000)
    expect(emma.locator("#typing-status")).to_be_hidden()


def test_the_feed_shows_new_comments_live(gunicorn_server, new_page, tmp_path):
    server = gunicorn_server()
    create_member(server, tmp_path, "anna", "Anna Author")
    create_member(server, tmp_path, "boris", "Boris Reader")
    anna = signed_in(new_page, server, "anna")
    anna.goto(server.url + "/posts/new")
    anna.get_by_label("Text").fill("Which beans do you use?")
    anna.get_by_role("button", name="Publish").click()
    post_url = anna.url
    anna.goto(server.url + "/feed")
    for _ in range(50):
        if anna.evaluate("() => !!(window.networkFeed && window.networkFeed.socket.connected)"):
            break
        anna.wait_for_timeout(100)
    boris = signed_in(new_page, server, "boris")
    boris.goto(post_url)
    comment(boris, "Ethiopian, light roast.")
    card = anna.locator(".post-card").first
    expect(card.locator(".latest-comments")).to_contain_text(
        "Ethiopian, light roast.", timeout=3000
    )
    expect(card.locator(".comment-count")).to_have_text("1 comment")


def test_a_post_that_leaves_the_readers_view_leaves_the_feed_live(
    gunicorn_server, new_page, tmp_path
):
    """Issue 16, item 1: a deleted post's card goes from open feeds, and hears no more."""
    server = gunicorn_server()
    create_member(server, tmp_path, "anna", "Anna Author")
    anna = signed_in(new_page, server, "anna")
    anna.goto(server.url + "/posts/new")
    anna.get_by_label("Text").fill("A post that will go")
    anna.get_by_role("button", name="Publish").click()
    post_url = anna.url
    reader = signed_in(new_page, server, "anna")  # her feed in another tab
    reader.goto(server.url + "/feed")
    for _ in range(50):
        if reader.evaluate("() => !!(window.networkFeed && window.networkFeed.socket.connected)"):
            break
        reader.wait_for_timeout(100)
    cards = reader.locator(".post-card", has_text="A post that will go")
    expect(cards).to_have_count(1)
    anna.goto(post_url + "/delete")
    anna.get_by_role("button", name="Delete").click()
    expect(cards).to_have_count(0, timeout=5000)
