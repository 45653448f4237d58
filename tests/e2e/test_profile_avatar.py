"""In Chromium: a member uploads an avatar through the profile form and finds it everywhere."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.servers import flask_command

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long and quiet river"
AVATAR = re.compile(r"^/uploads/[A-Za-z0-9_-]{24}-(64|128|256)\.webp$")


def create_member(server, tmp_path: Path) -> None:
    secret = tmp_path / "nina.pw"
    secret.write_text(PASSWORD + "\n")
    result = flask_command(
        server.env,
        "create-user",
        "nina@example.com",
        "--handle",
        "nina",
        "--name",
        "Nina Novak",
        "--password-file",
        str(secret),
    )
    assert result.returncode == 0, result.stderr


def photo(path: Path) -> Path:
    """A landscape JPEG with a GPS position in its EXIF, as phones make them."""
    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (1.0, 2.0, 3.0),
    }
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (30, 140, 90)).save(buffer, "JPEG", exif=exif)
    path.write_bytes(buffer.getvalue())
    return path


def loaded(page, selector: str) -> int:
    """The natural width of the image once it has loaded (0 if it could not)."""
    page.wait_for_function(
        "(selector) => { const img = document.querySelector(selector);"
        " return img && img.complete; }",
        arg=selector,
    )
    return page.locator(selector).evaluate("img => img.naturalWidth")


def test_upload_an_avatar_and_see_it_on_the_profile_and_in_the_directory(
    gunicorn_server, new_page, tmp_path
):
    server = gunicorn_server()
    create_member(server, tmp_path)
    page = new_page(locale="en-US")
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))

    page.goto(server.url + "/signin")
    page.get_by_label("Email or handle").fill("nina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Nina Novak").click()  # the name leads to the own profile
    expect(page).to_have_url(server.url + "/u/nina")
    assert page.locator("img.avatar-large").get_attribute("src").endswith("avatar-default.svg")
    page.get_by_role("link", name="Edit profile").click()

    page.get_by_label("Picture", exact=True).set_input_files(str(photo(tmp_path / "me.jpg")))
    # upload.js shows a preview under the strict CSP before anything is sent
    expect(page.locator("#avatar-preview")).to_have_attribute("src", re.compile(r"^data:image/"))
    page.get_by_role("button", name="Upload picture").click()
    expect(page.get_by_text("Your new picture is saved.")).to_be_visible()

    page.get_by_role("textbox", name="Title").fill("Community lead")
    page.get_by_role("textbox", name="Company").fill("Novak Tools")
    page.get_by_role("button", name="Save profile").click()
    expect(page).to_have_url(server.url + "/u/nina")

    src = page.locator("img.avatar-large").get_attribute("src")
    assert AVATAR.match(src) and src.endswith("-128.webp"), src
    assert loaded(page, "img.avatar-large") > 0
    expect(page.get_by_text("Community lead · Novak Tools")).to_be_visible()

    page.get_by_role("link", name="Members").click()
    expect(page).to_have_url(server.url + "/members")
    row = page.locator("li.member-row", has_text="Nina Novak")
    row_src = row.locator("img.avatar").get_attribute("src")
    assert AVATAR.match(row_src) and row_src.startswith(src.rsplit("-", 1)[0]), row_src
    assert loaded(page, "li.member-row img.avatar") > 0
    expect(row.get_by_text("Community lead · Novak Tools")).to_be_visible()

    page.get_by_label("Search by name, handle or company").fill("novak tools")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("li.member-row")).to_have_count(1)

    # the stored picture carries no GPS position
    from PIL import Image

    served = page.request.get(server.url + src)
    assert served.headers["content-type"] == "image/webp"
    assert not Image.open(io.BytesIO(served.body())).getexif()
    assert problems == []
