"""SEC-30, SEC-31: the upload pipeline, told as stories about honest and hostile pictures."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from network.database import write_transaction
from network.exceptions import Forbidden, Invalid
from network.extensions import db
from network.models import MemberStatus, Upload, UploadPurpose
from network.uploads import images, service
from tests.integration import pictures
from tests.support.content import make_post
from tests.support.pages import csrf_token

NAME = re.compile(r"^/uploads/[A-Za-z0-9_-]{24}\.(png|jpg|webp)$")


@pytest.fixture
def app_settings():
    """A 1 MB cap makes "over the cap" cheap to send; every honest picture here is far below."""
    return {"UPLOAD_MAX_MB": 1}


def send(browser, data: bytes, filename: str = "picture.png", content_type: str = "image/png"):
    """POST /uploads as the post editor does: multipart "file", token in X-CSRFToken."""
    token = csrf_token(browser.get("/", follow_redirects=True).get_data(as_text=True))
    return browser.post(
        "/uploads",
        data={"file": pictures.upload(data, filename, content_type)},
        headers={"X-CSRFToken": token},
        content_type="multipart/form-data",
    )


def stored(app, url: str) -> Path:
    return Path(app.instance_path) / "uploads" / url.rsplit("/", 1)[-1]


def upload_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Upload.id)))


def refused(response, status: int = 422, code: str = "invalid") -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.is_json
    assert response.json["error"]["code"] == code
    return response.json["error"]["message"]


# The honest path ------------------------------------------------------------------------------


@pytest.mark.both_databases
def test_a_member_uploads_a_picture_and_gets_its_url_and_size(app, customer, as_member):
    browser = as_member(customer)
    response = send(browser, pictures.picture("PNG", 64, 48))
    assert response.status_code == 201
    assert NAME.match(response.json["url"])
    assert (response.json["width"], response.json["height"]) == (64, 48)

    served = browser.get(response.json["url"])
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    # No post shows it yet: its owner's alone, and kept by their browser only
    assert served.headers["Cache-Control"] == "private, max-age=600"
    assert served.headers["Content-Disposition"].startswith("inline")
    assert Image.open(io.BytesIO(served.data)).format == "PNG"


def test_anyone_with_the_link_can_load_a_public_posts_picture(app, customer, as_member, client):
    url = send(as_member(customer), pictures.picture("JPEG")).json["url"]
    assert client.get(url).status_code == 404  # no post shows it yet
    make_post(app, customer, f"Our new bar\n\n![the bar]({url})")
    served = client.get(url)
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    # The post may become members-only: shared caches keep it for minutes, not a year.
    assert served.headers["Cache-Control"] == "public, max-age=600"


def test_the_csrf_token_may_also_travel_as_a_form_field(customer, as_member):
    browser = as_member(customer)
    token = csrf_token(browser.get("/", follow_redirects=True).get_data(as_text=True))
    response = browser.post(
        "/uploads",
        data={"file": pictures.upload(pictures.picture()), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201


def test_without_a_csrf_token_nothing_is_stored(app, customer, as_member):
    response = as_member(customer).post(
        "/uploads",
        data={"file": pictures.upload(pictures.picture())},
        content_type="multipart/form-data",
    )
    refused(response, 400, "csrf_failed")
    assert upload_count(app) == 0


def test_visitors_and_waiting_members_cannot_upload(app, client, member_factory, as_member):
    token = csrf_token(client.get("/signin").get_data(as_text=True))
    response = client.post(
        "/uploads",
        data={"file": pictures.upload(pictures.picture())},
        headers={"X-CSRFToken": token},
        content_type="multipart/form-data",
    )
    refused(response, 401, "unauthorized")
    waiting = member_factory(status=MemberStatus.pending)
    refused(send(as_member(waiting), pictures.picture()), 403, "forbidden")
    assert upload_count(app) == 0


def test_a_request_without_a_file_is_refused(customer, as_member):
    browser = as_member(customer)
    token = csrf_token(browser.get("/", follow_redirects=True).get_data(as_text=True))
    response = browser.post("/uploads", headers={"X-CSRFToken": token})
    assert "Choose a picture" in refused(response)


def test_the_same_picture_twice_gets_two_random_names(customer, as_member):
    browser = as_member(customer)
    first = send(browser, pictures.picture()).json["url"]
    second = send(browser, pictures.picture()).json["url"]
    assert first != second


def test_files_live_in_the_instance_folder_never_under_static(app, customer, as_member):
    url = send(as_member(customer), pictures.picture()).json["url"]
    path = stored(app, url)
    assert path.is_file()
    assert Path(app.instance_path) in path.parents
    assert Path(app.static_folder) not in path.parents


# Hidden details are removed, orientation is kept ----------------------------------------------


def test_gps_and_camera_details_are_stripped_from_photos(app, customer, as_member):
    photo = pictures.jpeg_with_secrets()
    assert pictures.CAMERA.encode() in photo  # the test photo really carries them
    url = send(as_member(customer), photo, "holiday.jpg", "image/jpeg").json["url"]
    data = stored(app, url).read_bytes()
    kept = Image.open(io.BytesIO(data))
    assert kept.format == "JPEG"
    assert dict(kept.getexif()) == {}
    assert kept.getexif().get_ifd(0x8825) == {}
    assert "exif" not in kept.info
    assert b"Exif" not in data and pictures.CAMERA.encode() not in data


def test_text_chunks_are_stripped_from_png(app, customer, as_member):
    url = send(as_member(customer), pictures.png_with_text_chunk()).json["url"]
    data = stored(app, url).read_bytes()
    assert b"Secret Lane" not in data
    assert "Comment" not in Image.open(io.BytesIO(data)).info


def test_a_sideways_photo_is_turned_upright_before_its_exif_goes(app, customer, as_member):
    # Orientation 6: the camera was turned; viewers rotate 90 degrees clockwise.
    photo = pictures.jpeg_with_secrets(width=80, height=40, orientation=6)
    response = send(as_member(customer), photo, "turned.jpg", "image/jpeg")
    assert (response.json["width"], response.json["height"]) == (40, 80)
    kept = Image.open(stored(app, response.json["url"]))
    assert kept.size == (40, 80)


def test_an_animated_gif_keeps_its_first_frame_as_png(app, customer, as_member):
    response = send(as_member(customer), pictures.animated_gif(), "dance.gif", "image/gif")
    assert response.status_code == 201
    assert response.json["url"].endswith(".png")
    assert as_member(customer).get(response.json["url"]).headers["Content-Type"] == "image/png"


def test_a_very_wide_picture_is_scaled_down(customer, as_member):
    response = send(as_member(customer), pictures.picture("PNG", 3000, 1000))
    assert response.json["width"] == images.MAX_POST_IMAGE_SIDE
    assert response.json["height"] == 683


def _encoded(mode: str, kind: str, color, **options) -> bytes:
    image = Image.new(mode, (40, 40), color)
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "transparent"),
    [
        (_encoded("I;16", "PNG", 40_000), False),  # 16-bit grey
        (_encoded("CMYK", "JPEG", (0, 50, 100, 0)), False),  # print-shop JPEG
        (_encoded("LA", "PNG", (100, 0)), True),
        (_encoded("P", "GIF", 3, transparency=3), True),  # palette with a clear colour
        (_encoded("RGB", "PNG", (3, 3, 3), transparency=(3, 3, 3)), True),
        (_encoded("RGBA", "WEBP", (1, 2, 3, 0)), True),
    ],
    ids=["png-16-bit", "jpeg-cmyk", "png-grey-alpha", "gif-clear-colour", "png-rgb-clear", "webp"],
)
def test_every_kind_of_accepted_picture_is_stored_and_keeps_its_transparency(
    app, customer, as_member, data, transparent
):
    response = send(as_member(customer), data)
    assert response.status_code == 201, response.json
    kept = Image.open(stored(app, response.json["url"])).convert("RGBA")
    assert (kept.getextrema()[3][0] == 0) is transparent


# Hostile files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "content_type"),
    [
        (pictures.SVG_WITH_SCRIPT, "logo.svg", "image/svg+xml"),
        (pictures.SVG_WITH_SCRIPT, "logo.png", "image/png"),
        (pictures.HTML_PAGE, "cat.png", "image/png"),
        (pictures.HTML_PAGE, "page.html", "text/html"),
        (b"%PDF-1.4 not a picture", "cat.jpg", "image/jpeg"),
        (pictures.picture("BMP"), "old.bmp", "image/png"),  # real image, not on the list
        (pictures.picture("PNG")[:60], "cut.png", "image/png"),  # truncated
    ],
    ids=["svg", "svg-named-png", "html-named-png", "html", "pdf", "bmp", "truncated"],
)
def test_files_that_are_not_accepted_pictures_are_refused(
    app, customer, as_member, data, filename, content_type
):
    message = refused(send(as_member(customer), data, filename, content_type))
    assert "not an image we accept" in message
    assert upload_count(app) == 0
    assert not any((Path(app.instance_path) / "uploads").glob("*.*"))


def test_a_gif_with_a_page_riding_behind_it_is_stored_without_the_page(app, customer, as_member):
    response = send(as_member(customer), pictures.gif_html_polyglot(), "cat.gif", "image/gif")
    assert response.status_code == 201  # the picture is real; what rides behind it is dropped
    data = stored(app, response.json["url"]).read_bytes()
    assert b"<script" not in data and b"<html" not in data
    served = as_member(customer).get(response.json["url"])
    assert served.headers["Content-Type"] == "image/png"


def test_a_decompression_bomb_is_refused_before_it_is_decoded(app, customer, as_member):
    bomb = pictures.png_bomb(20_000, 20_000)  # 400 megapixels in a few kilobytes
    assert len(bomb) < 1024 * 1024
    assert "megapixels" in refused(send(as_member(customer), bomb, "bomb.png"))
    assert upload_count(app) == 0


def test_a_header_claiming_20000_by_20000_pixels_is_refused(customer, as_member):
    claim = pictures.gif_claiming(20_000, 20_000)
    assert "megapixels" in refused(send(as_member(customer), claim, "huge.gif", "image/gif"))


def test_our_own_pixel_limit_holds_below_pillows(customer, as_member):
    # 42 megapixels: under Pillow's warning threshold (89 M), over ours (40 M)
    big = pictures.png_bomb(7000, 6000)
    assert Image.MAX_IMAGE_PIXELS > 7000 * 6000
    assert "megapixels" in refused(send(as_member(customer), big, "big.png"))


def test_a_body_over_the_cap_gets_413_in_json(app, customer, as_member):
    payload = b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024)
    response = send(as_member(customer), payload)
    refused(response, 413, "too_large")
    assert upload_count(app) == 0


def test_the_service_reads_no_further_than_the_cap(app, customer, ctx):
    oversized = FileStorage(io.BytesIO(b"\x00" * (1024 * 1024 + 1)), filename="a.png")
    with pytest.raises(Invalid) as refusal:
        service.store_image(customer, oversized, "post_image")
    assert refusal.value.status == 413 and refusal.value.field == "file"


def test_the_service_refuses_unknown_purposes_and_members_who_cannot_write(
    app, customer, member_factory, ctx
):
    honest = FileStorage(io.BytesIO(pictures.picture()), filename="a.png")
    with pytest.raises(Invalid):
        service.store_image(customer, honest, "banner")
    waiting = member_factory(status=MemberStatus.pending)
    with pytest.raises(Forbidden):
        service.store_image(waiting, honest, "post_image")


def test_the_service_stores_a_post_image_and_names_its_url(app, customer, ctx):
    honest = FileStorage(io.BytesIO(pictures.picture("WEBP")), filename="whatever.exe")
    upload = service.store_image(customer, honest, "post_image")
    assert upload.purpose == UploadPurpose.post_image
    assert upload.content_type == "image/webp" and upload.owner_id == customer.id
    assert upload.byte_size == stored(app, upload.name).stat().st_size
    assert service.upload_url(upload.name) == f"/uploads/{upload.name}"


# Serving: only names we made, only rows we keep -----------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/uploads/..%2F..%2Fetc%2Fpasswd",
        "/uploads/../../etc/passwd",
        "/uploads/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/uploads/..",
        "/uploads/.incoming-abc",
        "/uploads/network.sqlite",
        "/uploads/%00.png",
        "/uploads/AAAAAAAAAAAAAAAAAAAAAAAA.png",  # the right shape, never stored
        "/uploads/" + "A" * 300 + ".png",
    ],
)
def test_unknown_or_malformed_names_are_404(client, path):
    assert client.get(path).status_code == 404


def test_a_file_planted_in_the_folder_without_a_row_is_not_served(app, client):
    folder = Path(app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "PlantedPlantedPlanted0000.png").write_bytes(pictures.picture())
    assert client.get("/uploads/PlantedPlantedPlanted0000.png").status_code == 404


def test_anything_not_a_raster_image_is_served_as_an_attachment(app, as_member, customer):
    # No upload path makes such a row today; the serving rule must hold if one ever does.
    name = "NotAPictureNotAPicture00.png"
    folder = Path(app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(b"<svg><script>alert(1)</script></svg>")
    with app.app_context(), write_transaction() as session:
        session.add(
            Upload(
                owner_id=customer.id,
                name=name,
                content_type="image/svg+xml",
                width=1,
                height=1,
                byte_size=36,
                purpose=UploadPurpose.post_image,
            )
        )
    served = as_member(customer).get(f"/uploads/{name}")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/svg+xml"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in served.headers["Content-Security-Policy"]
