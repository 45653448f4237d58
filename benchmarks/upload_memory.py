"""Peak memory and time of one hostile picture through the real upload pipeline (issue 16, item 5).

Each case runs in its own subprocess, so ru_maxrss is that one job's peak and not
the sum of everything before it.  The pictures are made here: a 6300 x 6300 PNG
that is almost all one colour (about 170 KB on disk, 40 megapixels decoded), a
20000 x 20000 PNG bomb, and a 4000 x 3000 photo-sized JPEG as the honest case.

    .venv/bin/python benchmarks/upload_memory.py            # every case, a Markdown table
    .venv/bin/python benchmarks/upload_memory.py --case flat-png-6300
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = (
    "baseline",
    "flat-png-6300",
    "png-bomb-20000",
    "avatar-png-6300",
    "rgba-png-3840x2160",
    "rgb-png-4000x3000",
    "photo-jpeg-4032x3024",
    "photo-jpeg-6000x4000",
    "avatar-jpeg-6000x4000",
)


def _chunk(kind: bytes, body: bytes) -> bytes:
    import struct

    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def flat_png(
    side: int, noise_rows: int = 8, height: int | None = None, alpha: bool = False
) -> bytes:
    """A PNG of side x (height or side): a few rows of noise (a real picture), the rest flat.

    Written row by row through zlib so that making it costs no more memory than the file.
    """
    import random
    import struct

    rng = random.Random(16)
    compressor = zlib.compressobj(9)
    parts = []
    channels = 4 if alpha else 3
    flat_row = b"\x00" + bytes([200, 180, 40, 128][:channels]) * side
    for row in range(height or side):
        if row < noise_rows:
            line = b"\x00" + bytes(rng.randrange(256) for _ in range(side * channels))
        else:
            line = flat_row
        parts.append(compressor.compress(line))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", side, height or side, 8, 6 if alpha else 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def photo_jpeg(width: int, height: int) -> bytes:
    from PIL import Image

    image = Image.effect_noise((width, height), 64).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def picture(case: str) -> tuple[bytes, str]:
    if case == "flat-png-6300":
        return flat_png(6300), "post_image"
    if case == "avatar-png-6300":
        return flat_png(6300), "avatar"
    if case == "png-bomb-20000":
        return flat_png(20_000, noise_rows=0), "post_image"
    if case == "rgba-png-3840x2160":
        return flat_png(3840, height=2160, alpha=True), "post_image"
    if case == "rgb-png-4000x3000":
        return flat_png(4000, height=3000), "post_image"
    if case == "photo-jpeg-4032x3024":
        return photo_jpeg(4032, 3024), "post_image"
    if case == "photo-jpeg-6000x4000":
        return photo_jpeg(6000, 4000), "post_image"
    if case == "avatar-jpeg-6000x4000":
        return photo_jpeg(6000, 4000), "avatar"
    return b"", "none"


def run_one(case: str, path: str, purpose: str) -> dict[str, object]:
    """Inside the subprocess: build the app, time prepare() on the file, report peak RSS.

    The picture was made by the parent, so making it does not count in this peak.
    """
    sys.path.insert(0, str(ROOT))
    from werkzeug.datastructures import FileStorage

    from network import create_app
    from network.exceptions import Invalid
    from network.models import UploadPurpose
    from network.uploads import service

    data = Path(path).read_bytes() if path else b""
    instance = tempfile.mkdtemp(prefix="upload-bench-")
    app = create_app({"TESTING": True, "INSTANCE_PATH": instance, "UPLOAD_MAX_MB": 64})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome = "no job"
    started = time.perf_counter()
    if purpose != "none":
        with app.test_request_context():
            upload = FileStorage(io.BytesIO(data), filename="picture")
            try:
                encoded = service.prepare(upload, UploadPurpose(purpose))
                outcome = f"stored {encoded[0].width}x{encoded[0].height}"
            except Invalid as error:
                outcome = f"refused {error.status}"
            except Exception as error:
                outcome = f"error {type(error).__name__}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "case": case,
        "file_kb": round(len(data) / 1024),
        "outcome": outcome,
        "seconds": round(seconds, 2),
        "peak_mb": round(peak / 1024),
        "job_mb": round((peak - before) / 1024),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=CASES, action="append")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(run_one(*arguments.child)))
        return 0
    folder = Path(tempfile.mkdtemp(prefix="upload-bench-pictures-"))
    print("| case | file KB | outcome | seconds | peak RSS MB | job MB (peak minus app) |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    for case in arguments.case or CASES:
        data, purpose = picture(case)
        path = folder / case
        path.write_bytes(data)
        completed = subprocess.run(
            [sys.executable, __file__, "--child", case, str(path), purpose],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        if completed.returncode != 0:
            print(f"| {case} | | crashed: {completed.stderr.strip()[-200:]} | | | |")
            continue
        row = json.loads(completed.stdout.strip().splitlines()[-1])
        print(
            f"| {row['case']} | {row['file_kb']} | {row['outcome']} | {row['seconds']} "
            f"| {row['peak_mb']} | {row['job_mb']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
