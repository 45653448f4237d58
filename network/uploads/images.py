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

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

from network.exceptions import Invalid
from network.logs import get_logger

log = get_logger("uploads")

#: formats Pillow may even try to read; anything else is refused unread
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
#: pixel-flood limit, checked from the header before any pixel is decoded
MAX_PIXELS = 40_000_000
#: the long side of a stored post image; larger pictures are scaled down
MAX_POST_IMAGE_SIDE = 2048
#: avatars are square and stored at each of these sizes
AVATAR_SIZES = (64, 128, 256)

NOT_AN_IMAGE = _l("This file is not an image we accept. Use a JPEG, PNG, WebP or GIF picture.")
TOO_MANY_PIXELS = _l(
    "This picture is too large: it may have at most %(max)d megapixels.",
    max=MAX_PIXELS // 1_000_000,
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


def decode(data: bytes, field: str = "file") -> Image.Image:
    """Open, check and fully decode the bytes; the result is upright and loaded.

    Raises Invalid (naming ``field``) for anything that is not a complete
    JPEG, PNG, WebP or GIF, or that has more pixels than MAX_PIXELS.
    """
    try:
        # Pillow checks its own (higher) bomb limit in open(): it raises above twice
        # MAX_IMAGE_PIXELS and warns above it; our lower limit refuses both cases
        # right after, before any pixel is decoded.  (No warnings.catch_warnings():
        # it swaps process-wide filters and is not thread-safe under gthread.)
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise Invalid(TOO_MANY_PIXELS, field=field)
        source_format = image.format
        if source_format == "JPEG":
            # Let libjpeg decode at a reduced scale when we will shrink anyway.
            image.draft("RGB", (MAX_POST_IMAGE_SIDE, MAX_POST_IMAGE_SIDE))
        image.seek(0)  # animated GIF, WebP or PNG: the first frame
        image.load()
        upright = ImageOps.exif_transpose(image)
    except Invalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid(TOO_MANY_PIXELS, field=field) from None
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
    image = decode(data, field)
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
    image = decode(data, field)
    with _processing(field):
        image = _normalized(image, "WEBP")
        side = min(image.size)
        left, top = (image.width - side) // 2, (image.height - side) // 2
        square = image.crop((left, top, left + side, top + side))
        encoded = []
        for size in AVATAR_SIZES:
            resized = square.resize((size, size), Image.Resampling.LANCZOS)
            encoded.append(_encode(_bare_copy(resized), "WEBP", suffix=f"-{size}"))
        return encoded
