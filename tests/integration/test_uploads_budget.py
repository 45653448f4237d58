"""Issue 16, item 5: pictures are decoded within a pixel budget, a few at a time per process."""

from __future__ import annotations

import io
import struct
import threading
import time
import zlib

import pytest
from flask_babel import force_locale
from PIL import Image
from werkzeug.datastructures import FileStorage

from network.exceptions import Invalid
from network.models import UploadPurpose
from network.uploads import images, jobs, service
from tests.integration import pictures
from tests.integration.test_uploads import refused, send
from tests.support.pages import csrf_token


@pytest.fixture
def app_settings():
    # One slot and a short wait make "the queue is full" quick to reach and to see.
    return {"UPLOAD_JOBS": 1, "UPLOAD_WAIT_SECONDS": 0.5}


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def flat_png(width: int, height: int, alpha: bool = False) -> bytes:
    """An 8-bit RGB (or RGBA) PNG of one colour: tiny on disk, width x height once decoded."""
    channels = 4 if alpha else 3
    row = b"\x00" + bytes((200, 180, 40, 255)[:channels]) * width
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", body)
        + _chunk(b"IEND", b"")
    )


def camera_jpeg(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height), (90, 140, 60))
    image.paste((240, 240, 240), (0, 0, width // 3, height // 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def images_made() -> int:
    """How many pixel buffers Pillow has allocated in this process so far."""
    return Image.core.get_stats()["new_count"]


# The bomb of the issue: 170 KB on disk, 40 megapixels in memory -------------------------------


def test_the_flat_6300_pixel_png_of_the_issue_is_refused_before_a_pixel_is_decoded(app, ctx):
    bomb = flat_png(6300, 6300)
    assert len(bomb) < 200 * 1024 and images.MAX_PIXELS > 6300 * 6300  # under the header limit
    before, started = images_made(), time.perf_counter()
    with pytest.raises(Invalid) as refusal:
        images.post_image(bomb)
    assert time.perf_counter() - started < 0.5
    assert images_made() == before  # refused from the header: no pixel buffer was made
    assert refusal.value.status == 422 and refusal.value.field == "file"
    assert "at most 12 megapixels" in str(refusal.value.message)
    with force_locale("ru"):
        assert "мегапиксел" in str(refusal.value.message)


def test_a_customer_sending_it_gets_a_422_that_names_the_budget(app, customer, as_member):
    message = refused(send(as_member(customer), flat_png(6300, 6300), "flat.png"))
    assert "12 megapixels" in message


# Honest pictures still work, at a reduced scale -----------------------------------------------


def test_a_24_megapixel_camera_photo_is_decoded_at_half_scale_and_stored(app, customer, as_member):
    photo = camera_jpeg(6000, 4000)
    with app.app_context():
        decoded = images.decode(photo, long_side=images.MAX_POST_IMAGE_SIDE)
    assert decoded.size == (3000, 2000)  # libjpeg's draft: half the pixels in each direction
    response = send(as_member(customer), photo, "camera.jpg", "image/jpeg")
    assert response.status_code == 201, response.get_data(as_text=True)[:300]
    assert (response.json["width"], response.json["height"]) == (2048, 1365)


def test_a_12_megapixel_phone_photo_and_a_4k_screenshot_fit_the_budget(customer, as_member):
    browser = as_member(customer)
    phone = send(browser, camera_jpeg(4032, 3024), "phone.jpg", "image/jpeg")
    assert phone.status_code == 201 and phone.json["width"] == 2048
    screenshot = send(browser, flat_png(3840, 2160, alpha=True), "screen.png")
    assert screenshot.status_code == 201 and screenshot.json["height"] == 1152


def test_a_transparent_picture_gets_two_thirds_of_the_budget(app, ctx):
    # Pillow scales RGBA through a premultiplied copy: twice the memory per pixel.
    images.post_image(flat_png(3000, 3000))  # 9 megapixels, opaque: fits
    with pytest.raises(Invalid) as refusal:
        images.post_image(flat_png(3000, 3000, alpha=True))
    assert "at most 8 megapixels" in str(refusal.value.message)


# Avatars: a smaller budget, and JPEGs decoded at an eighth ------------------------------------


def test_an_avatar_has_a_smaller_budget_than_a_post_picture(app, customer, ctx):
    nine_megapixels = flat_png(3000, 3000)
    assert service.prepare(
        FileStorage(io.BytesIO(nine_megapixels), "a.png"), UploadPurpose.post_image
    )
    before = images_made()
    with pytest.raises(Invalid) as refusal:
        service.prepare(FileStorage(io.BytesIO(nine_megapixels), "a.png"), UploadPurpose.avatar)
    assert images_made() == before
    assert refusal.value.field == "file" and "at most 8 megapixels" in str(refusal.value.message)


def test_a_big_camera_photo_still_makes_an_avatar_decoded_at_an_eighth(app, ctx):
    photo = camera_jpeg(6000, 4000)
    decoded = images.decode(
        photo, short_side=max(images.AVATAR_SIZES), budget=images.MAX_AVATAR_PIXELS
    )
    assert decoded.size == (750, 500)
    sizes = [(avatar.width, avatar.height) for avatar in images.avatar_set(photo)]
    assert sizes == [(64, 64), (128, 128), (256, 256)]


# At most UPLOAD_JOBS at once; the next one waits, then gets 503 with Retry-After ---------------


class HeldSlot:
    """A real thread holding the process's only picture slot until released."""

    def __init__(self, app) -> None:
        self.app, self.taken, self.release = app, threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        with self.app.app_context(), jobs.image_job():
            self.taken.set()
            self.release.wait(10)

    def __enter__(self) -> HeldSlot:
        self.thread.start()
        assert self.taken.wait(5)
        return self

    def __exit__(self, *_exc) -> None:
        self.release.set()
        self.thread.join(5)


def test_an_upload_beyond_the_slots_gets_503_with_retry_after_and_nothing_is_kept(
    app, customer, as_member
):
    browser = as_member(customer)
    with HeldSlot(app):
        started = time.perf_counter()
        response = send(browser, pictures.picture("PNG", 64, 48))
        waited = time.perf_counter() - started
    assert response.status_code == 503
    assert response.json["error"]["code"] == "busy"
    assert response.headers["Retry-After"] == "1"
    assert 0.4 < waited < 3  # it waited for a slot (UPLOAD_WAIT_SECONDS), then gave up
    # The slot is free again: the same picture goes through.
    assert send(browser, pictures.picture("PNG", 64, 48)).status_code == 201


def test_an_upload_that_waits_gets_the_slot_when_it_frees(app, customer, as_member):
    app.config["UPLOAD_WAIT_SECONDS"] = 5
    browser = as_member(customer)
    answers = []
    with HeldSlot(app):
        waiting = threading.Thread(
            target=lambda: answers.append(send(browser, pictures.picture("PNG", 64, 48)))
        )
        waiting.start()
        time.sleep(0.3)
        assert not answers  # still queued behind the held slot
    waiting.join(5)
    assert answers[0].status_code == 201


def test_the_avatar_form_says_busy_with_503_and_retry_after(app, customer, as_member):
    browser = as_member(customer)
    token = csrf_token(browser.get("/settings/profile").get_data(as_text=True))
    with HeldSlot(app):
        response = browser.post(
            "/settings/profile/avatar",
            data={"avatar": pictures.upload(pictures.picture()), "csrf_token": token},
            content_type="multipart/form-data",
        )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert "Too many pictures are being processed" in response.get_data(as_text=True)
    with app.test_request_context(), force_locale("ru"):
        assert str(jobs.BUSY).startswith("Сейчас обрабатывается слишком много изображений")
