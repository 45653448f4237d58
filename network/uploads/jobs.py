"""At most UPLOAD_JOBS pictures decoded at once per process; the others wait briefly, then 503."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from network.exceptions import Invalid
from network.web import headers

BUSY = _l("Too many pictures are being processed right now. Try again in a few seconds.")
_creating = threading.Lock()


class Busy(Invalid):
    """Every picture slot stayed taken for the whole wait (503, with Retry-After).

    An Invalid, like TooLarge, so that every form that shows upload refusals
    shows this one too, with its own status.
    """

    status = 503

    def __init__(self, retry_after: int, field: str = "file") -> None:
        super().__init__(BUSY, field=field)
        self.retry_after = retry_after


def _slots(app: Flask) -> threading.BoundedSemaphore:
    # One semaphore per app, made on first use: tests build many apps, a server one.
    slots = app.extensions.get("upload_jobs")
    if slots is None:
        with _creating:
            slots = app.extensions.get("upload_jobs")
            if slots is None:
                slots = threading.BoundedSemaphore(int(app.config["UPLOAD_JOBS"]))
                app.extensions["upload_jobs"] = slots
    return slots


def retry_after(wait: float) -> int:
    """Seconds a refused sender should wait: the queue's own wait, at least one."""
    return max(1, math.ceil(wait))


@contextmanager
def image_job(field: str = "file") -> Iterator[None]:
    """Hold one of the process's picture slots for the block.

    Decoding and encoding take memory in proportion to the pixels (images.py keeps
    each job under its budget); the slots keep the sum of the jobs bounded too.
    Raises Busy when no slot frees within UPLOAD_WAIT_SECONDS.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    slots = _slots(app)
    wait = float(app.config["UPLOAD_WAIT_SECONDS"])
    if not slots.acquire(timeout=wait):
        seconds = retry_after(wait)
        headers.retry_after(seconds)
        raise Busy(seconds, field=field)
    try:
        yield
    finally:
        slots.release()
