"""The per-account guessing limit, which slows guesses down and never locks a member out (SEC-03).

After RATELIMIT_SIGN_IN_ACCOUNT's number of failed attempts from browsers
the account does not know, each further attempt from such a browser waits
2, 4, 8 ... seconds (capped) after the one before; a solved proof of work
(proof.py) skips the wait.  A browser with the member's device cookie
(devices.py) is not slowed at all, unless its own cookie keeps failing: then
it is treated as unknown (OWASP, "Slow Down Online Guessing Attacks with
Device Cookies").  Counters live in the rate-limit store (Redis when set),
so every process sees the same ones.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from flask import current_app
from limits import parse

from network.extensions import limiter
from network.logs import get_logger

security_log = get_logger("security")
DEFAULT_DELAY_CAP_SECONDS = 900  # one guess per 15 minutes at worst, for anyone without a proof
DEFAULT_FAILURES_KEPT_SECONDS = 24 * 3600  # failed attempts are remembered for a day
DEFAULT_DEVICE_FAILURES = 10  # failures one device cookie may have ...
DEVICE_FAILURE_WINDOW_SECONDS = 3600  # ... per hour before it stops counting as known


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may have its password checked now, and how it is counted."""

    allowed: bool
    retry_after: int = 0  # seconds, when not allowed
    device: str | None = None  # the known device's nonce, when the attempt came from one


def account_key(member_id: int | None, typed: str) -> str:
    """What the counters are kept under: the member, or a hash of a name that is no account.

    Unknown names are slowed like real ones (so the answer tells nobody which
    accounts exist) and hashed, so a password typed into the wrong field never
    reaches the store or the log.
    """
    if member_id is not None:
        return f"member:{member_id}"
    name = typed.strip().lstrip("@").lower()[:254]
    return "name:" + hashlib.sha256(name.encode()).hexdigest()[:24]


def _config(key: str, default: int) -> int:
    return int(current_app.config.get(key, default))


def free_failures() -> int:
    """Failures from unknown browsers before the delay begins."""
    return parse(current_app.config["RATELIMIT_SIGN_IN_ACCOUNT"]).amount


def delay_after(failures: int) -> int:
    """Seconds the next attempt from an unknown browser waits after this many failures."""
    over = failures - free_failures()
    if over < 0:
        return 0
    cap = _config("SIGN_IN_DELAY_CAP_SECONDS", DEFAULT_DELAY_CAP_SECONDS)
    return min(2 ** min(over + 1, 30), cap)


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _device_known(device: str) -> bool:
    limit = _config("SIGN_IN_DEVICE_FAILURES", DEFAULT_DEVICE_FAILURES)
    return limiter.storage.get(f"sign-in:device:{device}") < limit


def admit(account_key: str, *, device: str | None, proven: bool) -> Verdict:
    """Decide whether this attempt at the account may be checked now.

    Claims the account's next turn atomically, so guesses sent in parallel
    cannot all slip through one free moment.
    """
    if not _enabled():
        return Verdict(allowed=True, device=device)
    if device is not None:
        if _device_known(device):
            return Verdict(allowed=True, device=device)
        security_log.info("sign-in from a locked device cookie account=%s", account_key)
    store = limiter.storage
    delay = delay_after(store.get(f"sign-in:failures:{account_key}"))
    if delay == 0 or proven:
        return Verdict(allowed=True)
    turn = f"sign-in:turn:{account_key}"
    if store.incr(turn, delay) == 1:
        return Verdict(allowed=True)
    retry_after = max(1, math.ceil(store.get_expiry(turn) - time.time()))
    security_log.info("sign-in slowed account=%s retry_after=%s", account_key, retry_after)
    return Verdict(allowed=False, retry_after=retry_after)


def failed(account_key: str, verdict: Verdict) -> None:
    """Count a wrong password: against the device cookie it came with, else the account."""
    if not _enabled():
        return
    store = limiter.storage
    if verdict.device is not None:
        count = store.incr(f"sign-in:device:{verdict.device}", DEVICE_FAILURE_WINDOW_SECONDS)
        if count == _config("SIGN_IN_DEVICE_FAILURES", DEFAULT_DEVICE_FAILURES):
            security_log.info(
                "device cookie locked after %s failures account=%s", count, account_key
            )
        return
    kept = _config("SIGN_IN_FAILURES_KEPT_SECONDS", DEFAULT_FAILURES_KEPT_SECONDS)
    failures = store.incr(f"sign-in:failures:{account_key}", kept)
    delay = delay_after(failures)
    if delay:
        # The next turn starts `delay` seconds from now, however this attempt got in.
        turn = f"sign-in:turn:{account_key}"
        store.clear(turn)
        store.incr(turn, delay)
        security_log.info(
            "sign-in delay account=%s failures=%s next_in=%s", account_key, failures, delay
        )
