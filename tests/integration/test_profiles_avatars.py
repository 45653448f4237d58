"""Avatars: uploaded through the profile form, squared, stored at fixed sizes, replaced cleanly."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from network.extensions import db
from network.models import Member, MemberStatus, Upload, UploadPurpose
from network.profiles.avatars import avatar_srcset, avatar_url
from tests.integration import pictures
from tests.support.pages import csrf_token


@pytest.fixture
def app_settings():
    return {"UPLOAD_MAX_MB": 1}


def upload_avatar(browser, data: bytes, filename: str = "me.png", content_type: str = "image/png"):
    token = csrf_token(browser.get("/settings/profile").get_data(as_text=True))
    return browser.post(
        "/settings/profile/avatar",
        data={"avatar": pictures.upload(data, filename, content_type), "csrf_token": token},
        content_type="multipart/form-data",
    )


def member_row(app, member) -> Member:
    with app.app_context():
        row = db.session.get(Member, member.id)
        db.session.expunge(row)
        return row


def avatar_rows(app) -> list[Upload]:
    with app.app_context():
        rows = list(db.session.scalars(select(Upload).order_by(Upload.width)))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_a_member_uploads_an_avatar_and_everyone_sees_it(app, client, customer, as_member):
    browser = as_member(customer)
    response = upload_avatar(browser, pictures.jpeg_with_secrets(300, 200), "me.jpg", "image/jpeg")
    assert response.status_code == 302
    assert response.headers["Location"] == "/settings/profile"

    carla = member_row(app, customer)
    assert carla.avatar is not None
    rows = avatar_rows(app)
    assert [(row.width, row.height) for row in rows] == [(64, 64), (128, 128), (256, 256)]
    assert {row.purpose for row in rows} == {UploadPurpose.avatar}
    assert {row.content_type for row in rows} == {"image/webp"}
    assert [row.name for row in rows] == [f"{carla.avatar}-{size}.webp" for size in (64, 128, 256)]

    with app.test_request_context():
        url = avatar_url(carla, 128)
    assert url == f"/uploads/{carla.avatar}-128.webp"
    page = client.get("/u/carla").get_data(as_text=True)
    assert f'src="{url}"' in page
    served = client.get(url)
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/webp"
    assert served.headers["Cache-Control"].startswith("public")
    picture = Image.open(io.BytesIO(served.data))
    assert picture.size == (128, 128) and not picture.getexif()
    assert pictures.CAMERA.encode() not in served.data


@pytest.mark.both_databases
def test_a_new_avatar_replaces_the_old_files_and_rows(app, customer, as_member):
    browser = as_member(customer)
    assert upload_avatar(browser, pictures.picture("PNG", 50, 90)).status_code == 302
    first = member_row(app, customer).avatar
    assert upload_avatar(browser, pictures.picture("GIF", 40, 40, mode="P")).status_code == 302
    second = member_row(app, customer).avatar
    assert second != first
    folder = Path(app.instance_path) / "uploads"
    assert not list(folder.glob(f"{first}-*"))
    assert len(list(folder.glob(f"{second}-*"))) == 3
    assert len(avatar_rows(app)) == 3


def test_removing_the_avatar_brings_back_the_default(app, client, customer, as_member):
    browser = as_member(customer)
    upload_avatar(browser, pictures.picture())
    stem = member_row(app, customer).avatar
    token = csrf_token(browser.get("/settings/profile").get_data(as_text=True))
    response = browser.post("/settings/profile/avatar/remove", data={"csrf_token": token})
    assert response.status_code == 302
    assert member_row(app, customer).avatar is None
    assert avatar_rows(app) == []
    assert client.get(f"/uploads/{stem}-128.webp").status_code == 404
    assert "/static/img/avatar-default.svg" in client.get("/u/carla").get_data(as_text=True)


def test_a_wrong_file_shows_the_form_again_with_the_reason(app, customer, as_member):
    response = upload_avatar(
        as_member(customer), pictures.SVG_WITH_SCRIPT, "me.svg", "image/svg+xml"
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "not an image we accept" in page
    assert 'aria-invalid="true"' in page
    assert member_row(app, customer).avatar is None and avatar_rows(app) == []


def test_no_file_at_all_is_422(customer, as_member):
    browser = as_member(customer)
    token = csrf_token(browser.get("/settings/profile").get_data(as_text=True))
    response = browser.post("/settings/profile/avatar", data={"csrf_token": token})
    assert response.status_code == 422
    assert "Choose a picture" in response.get_data(as_text=True)


def test_a_picture_over_the_cap_gets_413_and_the_form(app, customer, as_member):
    response = upload_avatar(as_member(customer), b"\x89PNG" + b"\x00" * (2 * 1024 * 1024))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "too large" in page and 'name="avatar"' in page
    assert member_row(app, customer).avatar is None


def test_a_bomb_as_avatar_is_refused(app, customer, as_member):
    response = upload_avatar(as_member(customer), pictures.png_bomb())
    assert response.status_code == 422
    assert "megapixels" in response.get_data(as_text=True)


def test_waiting_members_cannot_upload_an_avatar(member_factory, as_member):
    waiting = member_factory(status=MemberStatus.pending)
    assert upload_avatar(as_member(waiting), pictures.picture()).status_code == 403


def test_avatar_urls_need_no_query_and_fall_back_to_the_default(app, count_queries):
    someone = Member(handle="zoe", avatar=None)
    pictured = Member(handle="yan", avatar="AbCdEfGhIjKlMnOpQrStUvWx")
    with app.test_request_context(), count_queries() as counted:
        assert avatar_url(someone) == "/static/img/avatar-default.svg"
        assert avatar_srcset(someone) == ""
        assert avatar_url(pictured) == "/uploads/AbCdEfGhIjKlMnOpQrStUvWx-128.webp"
        assert avatar_url(pictured, 40) == "/uploads/AbCdEfGhIjKlMnOpQrStUvWx-64.webp"
        assert avatar_url(pictured, 1000) == "/uploads/AbCdEfGhIjKlMnOpQrStUvWx-256.webp"
        assert avatar_srcset(pictured, 128).endswith("-256.webp 2x")
    assert counted.count == 0


def test_the_default_avatar_is_our_own_static_file(client):
    response = client.get("/static/img/avatar-default.svg")
    assert response.status_code == 200
    assert b"<script" not in response.data
