"""In Chromium: a member writes a post with an uploaded image and a link; another comments."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.browser import create_member, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def png_file(path: Path) -> Path:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 40, 40)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_post_with_an_image_and_a_link_then_a_comment(gunicorn_server, new_page, tmp_path):
    server = gunicorn_server()
    create_member(server, tmp_path, "anna", "Anna Author", email="anna@example.com")
    create_member(server, tmp_path, "boris", "Boris Reader", email="boris@example.com")

    anna = new_page(locale="en-US")
    errors: list[str] = []
    anna.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(anna, server, "anna")
    anna.get_by_role("link", name="Write", exact=True).click()
    anna.get_by_label("Title (optional)").fill("Our new dashboard")
    anna.get_by_label("Text").fill("Read the guide at https://example.com/guide\n")
    anna.get_by_label("Add an image").set_input_files(str(png_file(tmp_path / "shot.png")))
    # the editor's script inserts the Markdown (no eval-based waits: the CSP forbids them)
    expect(anna.get_by_label("Text")).to_have_value(re.compile(r"!\[\]\(/uploads/"))
    anna.get_by_role("button", name="Publish").click()

    assert anna.locator("h1").inner_text() == "Our new dashboard"
    image = anna.locator(".prose img")
    assert image.get_attribute("src").startswith("/uploads/")
    # The picture loads after the page does: on a busy machine it may not have yet.
    width, deadline = 0, time.monotonic() + 10
    while width == 0 and time.monotonic() < deadline:
        width = anna.evaluate("document.querySelector('.prose img').naturalWidth")
        if width == 0:
            anna.wait_for_timeout(100)
    assert width == 120
    link = anna.locator(".prose a[href='https://example.com/guide']")
    assert link.get_attribute("rel") == "nofollow ugc noopener"
    post_url = anna.url

    boris = new_page(locale="en-US")
    sign_in(boris, server, "boris")
    boris.goto(post_url)
    boris.get_by_label("Your comment").fill("Thanks @anna, very clear!")
    boris.get_by_role("button", name="Comment").click()
    comment = boris.locator("#c1")
    assert "very clear" in comment.inner_text()
    assert comment.locator("a[href='/u/anna']").is_visible()

    anna.reload()
    assert "Boris Reader" in anna.locator("#c1").inner_text()
    assert errors == []
