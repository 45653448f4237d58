"""Turning untrusted bytes into clean images: decode by content, refuse floods, re-encode bare.

Nothing here touches the database or the filesystem.  The type is whatever
Pillow finds in the bytes (restricted to JPEG, PNG, WebP and GIF), never the
file name or the client's Content-Type.  Every image is decoded, turned
upright by its EXIF orientation, copied pixel by pixel into a fresh image (so
no EXIF, GPS, XMP, ICC or text chunk survives) and encoded again.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

from network.exceptions import Invalid
from network.logs import get_logger

log = get_logger("uploads")

#: formats Pillow may even try to read; anything else is refused unread
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
#: pixel-flood limit, checked from the header before any pixel is decoded
MAX_PIXELS = 40_000_000
#: the memory budget: at most this many pixels are ever decoded for one post image
#: (a 12 MP phone photo fits, a 4K screenshot too).  Pillow holds 4 bytes a pixel (RGB
#: included) and scaling makes two more copies, so a job peaks near 7 bytes a pixel:
#: under the 100 MB per upload of issue 16 (benchmarks/upload_memory.py measures it).
#: It is also the time budget: decoding and scaling cost in proportion to the pixels.
MAX_DECODED_PIXELS = 12_500_000
#: avatars end at 256 px, so they get a smaller budget
MAX_AVATAR_PIXELS = 8_000_000
#: a transparent picture is scaled through a premultiplied copy of itself (Pillow's
#: resize of RGBA and LA): it gets this share of the budget
ALPHA_SHARE = (2, 3)
#: the long side of a stored post image; larger pictures are scaled down
MAX_POST_IMAGE_SIDE = 2048
#: avatars are square and stored at each of these sizes
AVATAR_SIZES = (64, 128, 256)

NOT_AN_IMAGE = _l("This file is not an image we accept. Use a JPEG, PNG, WebP or GIF picture.")


def too_many_pixels(limit: int) -> Any:
    """The refusal naming the limit that was passed, in megapixels."""
    return _l(
        "This picture is too large: it may have at most %(max)d megapixels.",
        max=limit // 1_000_000,
    )


@dataclass(frozen=True)
class Encoded:
    """One image ready to store: its bytes and what they are."""

    data: bytes
    content_type: str
    extension: str
    width: int
    height: int
    suffix: str = ""  # "-64" etc. for avatar sizes; part of the stored name


# Output format per input format: GIF becomes a single-frame PNG.
_OUTPUT = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RASTER_CONTENT_TYPES = frozenset(_CONTENT_TYPES.values()) | {"image/gif"}


def _draft_request(
    size: tuple[int, int], long_side: int | None, short_side: int | None
) -> tuple[int, int] | None:
    """The smallest (width, height) that still gives the wanted side, same aspect ratio."""
    width, height = size
    side, wanted = (max(size), long_side) if long_side else (min(size), short_side)
    if not wanted or side <= wanted:
        return None
    return (max(1, -(-width * wanted // side)), max(1, -(-height * wanted // side)))


def decode(
    data: bytes,
    field: str = "file",
    *,
    long_side: int | None = None,
    short_side: int | None = None,
    budget: int = MAX_DECODED_PIXELS,
) -> Image.Image:
    """Open, check and fully decode the bytes; the result is upright and loaded.

    A JPEG is decoded at a reduced scale (1/2, 1/4 or 1/8, libjpeg's draft mode)
    when its long side (or short side) still reaches ``long_side`` (``short_side``).
    Raises Invalid (naming ``field``) for anything that is not a complete JPEG,
    PNG, WebP or GIF, when the header claims more than MAX_PIXELS, or when more
    than ``budget`` pixels would be decoded: both checks happen before any pixel
    is, so a refused picture costs no memory.
    """
    try:
        # Pillow checks its own (higher) bomb limit in open(): it raises above twice
        # MAX_IMAGE_PIXELS and warns above it; our lower limits refuse both cases
        # right after, before any pixel is decoded.  (No warnings.catch_warnings():
        # it swaps process-wide filters and is not thread-safe under gthread; and
        # MAX_IMAGE_PIXELS is process-wide too, so it is never changed here.)
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise Invalid(too_many_pixels(MAX_PIXELS), field=field)
        source_format = image.format
        if source_format == "JPEG":
            request = _draft_request(image.size, long_side, short_side)
            if request is not None:
                image.draft("RGB", request)  # changes image.size to what will be decoded
        width, height = image.size
        limit = budget
        if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
            limit = budget * ALPHA_SHARE[0] // ALPHA_SHARE[1]
        if width * height > limit:
            raise Invalid(too_many_pixels(limit), field=field)
        image.seek(0)  # animated GIF, WebP or PNG: the first frame
        image.load()
        upright = ImageOps.exif_transpose(image)
    except Invalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid(too_many_pixels(MAX_PIXELS), field=field) from None
    except Exception:
        # Pillow raises many kinds of errors on hostile input (OSError, SyntaxError,
        # ValueError, struct.error, EOFError...); all of them mean "not an image we take".
        raise Invalid(NOT_AN_IMAGE, field=field) from None
    if source_format not in ACCEPTED_FORMATS:
        raise Invalid(NOT_AN_IMAGE, field=field)
    upright.format = source_format  # exif_transpose may return a copy without it
    return upright


def _normalized(image: Image.Image, output_format: str) -> Image.Image:
    """The image in a mode the output format stores faithfully, transparency kept as alpha."""
    if image.mode in {"I", "I;16", "I;16B", "I;16L", "I;16N"}:
        image = image.point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    if "transparency" in image.info or image.mode == "PA":
        # A palette index or colour marked transparent lives in `info`, which the
        # bare copy drops: turn it into a real alpha channel first.
        image = image.convert("RGBA")
    alpha = image.mode in {"RGBA", "LA"}
    if output_format == "JPEG":
        return image.convert("L" if image.mode in {"1", "L"} else "RGB")
    if output_format == "PNG" and image.mode in {"1", "L", "LA", "RGB", "RGBA"}:
        return image
    return image.convert("RGBA" if alpha else "RGB")


def _bare_copy(image: Image.Image) -> Image.Image:
    """Pixels only: a fresh image carries no info dict, EXIF, ICC or text chunks."""
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    return bare


def _encode(image: Image.Image, output_format: str, suffix: str = "") -> Encoded:
    buffer = io.BytesIO()
    if output_format == "JPEG":
        image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    elif output_format == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "WEBP", quality=85, method=4)
    return Encoded(
        data=buffer.getvalue(),
        content_type=_CONTENT_TYPES[output_format],
        extension=_EXTENSIONS[output_format],
        width=image.width,
        height=image.height,
        suffix=suffix,
    )


@contextmanager
def _processing(field: str) -> Iterator[None]:
    """Past decoding, a failure is ours or Pillow's, not the sender's: log it, refuse politely."""
    try:
        yield
    except Invalid:
        raise
    except Exception:
        log.warning("could not re-encode an accepted picture", exc_info=True)
        raise Invalid(NOT_AN_IMAGE, field=field) from None


def post_image(data: bytes, field: str = "file") -> Encoded:
    """A picture for a post: same kind as sent (GIF becomes PNG), at most 2048 px on its long side.

    Raises Invalid as decode() does.
    """
    image = decode(data, field, long_side=MAX_POST_IMAGE_SIDE)
    with _processing(field):
        output_format = _OUTPUT[image.format or ""]
        image = _normalized(image, output_format)
        if max(image.size) > MAX_POST_IMAGE_SIDE:
            image.thumbnail((MAX_POST_IMAGE_SIDE, MAX_POST_IMAGE_SIDE), Image.Resampling.LANCZOS)
        return _encode(_bare_copy(image), output_format)


def avatar_set(data: bytes, field: str = "avatar") -> list[Encoded]:
    """Square WebP avatars at every size in AVATAR_SIZES, cropped around the centre.

    Raises Invalid as decode() does.
    """
    image = decode(data, field, short_side=max(AVATAR_SIZES), budget=MAX_AVATAR_PIXELS)
    with _processing(field):
        image = _normalized(image, "WEBP")
        side = min(image.size)
        left, top = (image.width - side) // 2, (image.height - side) // 2
        square = image.crop((left, top, left + side, top + side))
        encoded = []
        for size in AVATAR_SIZES:
            # reducing_gap: a box reduction first, then Lanczos over a few times the
            # target; the same picture, several times faster from a large square.
            resized = square.resize((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0)
            encoded.append(_encode(_bare_copy(resized), "WEBP", suffix=f"-{size}"))
        return encoded
