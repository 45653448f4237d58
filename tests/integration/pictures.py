"""Pictures for upload tests: honest ones, ones with secrets in them, and hostile ones."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (55.0, 45.0, 21.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (37.0, 37.0, 4.0),
}
CAMERA = "Spy Camera 3000"


def picture(
    kind: str = "PNG", width: int = 64, height: int = 48, color=(200, 30, 30), mode: str = "RGB"
) -> bytes:
    image = Image.new(mode, (width, height), color)
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


def jpeg_with_secrets(width: int = 80, height: int = 40, orientation: int = 1) -> bytes:
    """A JPEG whose EXIF tells where it was taken and with what camera, and how to turn it."""
    image = Image.new("RGB", (width, height), (10, 120, 200))
    # A marker in the top-left corner shows where "up" was after turning.
    image.paste((255, 255, 0), (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = CAMERA
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def png_with_text_chunk() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "home address: 1 Secret Lane")
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def animated_gif(frames: int = 3) -> bytes:
    images = [Image.new("P", (32, 32), index * 40) for index in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return buffer.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A 1-bit PNG of width x height pixels that compresses to a few tens of kilobytes.

    Written row by row, so building it never holds the whole picture in memory.
    """
    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte, then all-black pixels
    packer = zlib.compressobj(9)
    parts = [packer.compress(row) for _ in range(height)]
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def gif_claiming(width: int, height: int) -> bytes:
    """A real one-pixel GIF whose header claims a logical screen of width x height."""
    tiny = bytearray(picture("GIF", 1, 1, mode="P", color=0))
    tiny[6:10] = struct.pack("<HH", width, height)
    return bytes(tiny)


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>'
)
HTML_PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def gif_html_polyglot() -> bytes:
    """A real GIF with an HTML page (and script) riding after its end."""
    return picture("GIF", 20, 20, mode="P", color=1) + b"<html><script>alert(1)</script></html>"


def upload(data: bytes, filename: str = "picture.png", content_type: str = "image/png"):
    """A multipart file field value for the test client."""
    return (io.BytesIO(data), filename, content_type)
