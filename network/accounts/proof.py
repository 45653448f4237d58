"""Proof of work for sign-in: a small hashcash puzzle that lets a person past the guessing delay.

The server hands out a signed, expiring challenge bound to one account; the
sign-in page's script (static/js/sign_in_proof.js) finds a nonce such that
sha256(challenge + nonce) starts with `bits` zero bits.  Each challenge is
good once: a solved one is spent in the rate-limit store when it is redeemed.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from network.extensions import limiter
from network.logs import get_logger

security_log = get_logger("security")
DEFAULT_BITS = 16  # about 65,000 hashes: a second or two in a browser, per guess
LIFETIME_SECONDS = 600
_MAX_NONCE = 32
_MAX_CHALLENGE = 400


@dataclass(frozen=True)
class Challenge:
    text: str
    bits: int


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sign-in-proof")


def _bits() -> int:
    return int(current_app.config.get("SIGN_IN_PROOF_BITS", DEFAULT_BITS))


def issue(account_key: str) -> Challenge:
    """A fresh challenge for guesses at this account (see throttle.account_key)."""
    bits = _bits()
    text = _serializer().dumps({"a": account_key, "r": secrets.token_urlsafe(12), "b": bits})
    return Challenge(text=text, bits=bits)


def leading_zero_bits(digest: bytes) -> int:
    value = int.from_bytes(digest, "big")
    return len(digest) * 8 - value.bit_length()


def solves(challenge: str, nonce: str, bits: int) -> bool:
    digest = hashlib.sha256(f"{challenge}{nonce}".encode()).digest()
    return leading_zero_bits(digest) >= bits


def solve(challenge: Challenge) -> str:
    """Find a nonce for a challenge, as the browser does (for tests and the CLI)."""
    counter = 0
    while not solves(challenge.text, str(counter), challenge.bits):
        counter += 1
    return str(counter)


def redeem(challenge: str | None, nonce: str | None, account_key: str) -> bool:
    """True once for a genuine, unexpired, solved challenge for this account; spends it.

    A forged, expired or foreign challenge, a wrong nonce and a second use of
    the same challenge are all False (and logged).
    """
    if not challenge or not nonce:
        return False
    if len(challenge) > _MAX_CHALLENGE or len(nonce) > _MAX_NONCE:
        security_log.info("sign-in proof refused: oversized")
        return False
    try:
        payload = _serializer().loads(challenge, max_age=LIFETIME_SECONDS)
    except BadSignature:  # SignatureExpired is one
        security_log.info("sign-in proof refused: bad or expired challenge")
        return False
    if not isinstance(payload, dict) or payload.get("a") != account_key:
        security_log.info("sign-in proof refused: challenge for another account")
        return False
    bits = payload.get("b")
    # The difficulty is the one signed into the challenge, never below today's setting.
    if not isinstance(bits, int) or bits < _bits() or not solves(challenge, nonce, bits):
        security_log.info("sign-in proof refused: not solved")
        return False
    spent = limiter.storage.incr(f"sign-in:proof:{payload.get('r')}", LIFETIME_SECONDS)
    if spent > 1:
        security_log.info("sign-in proof refused: challenge used before")
        return False
    return True
