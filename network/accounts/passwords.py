"""Password rules (SEC-01) and argon2id hashes (SEC-02)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

from network.exceptions import Invalid

MIN_LENGTH = 8
MAX_LENGTH = 128
_COMMON = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"

TOO_SHORT = _l("Use at least %(min)d characters.", min=MIN_LENGTH)
TOO_LONG = _l("Use at most %(max)d characters.", max=MAX_LENGTH)
TOO_COMMON = _l("This password is one of the most common ones; please choose another.")


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(_COMMON.read_text(encoding="utf-8").split("\n")) - {""}


def check_policy(password: str, field: str = "password") -> None:
    """Raise Invalid unless the password may be used.

    The password is judged exactly as typed: no trimming, no composition
    rules; only its length and the list of common passwords count.
    """
    if len(password) < MIN_LENGTH:
        raise Invalid(TOO_SHORT, field=field)
    if len(password) > MAX_LENGTH:
        raise Invalid(TOO_LONG, field=field)
    if password.lower() in _common_passwords():
        raise Invalid(TOO_COMMON, field=field)


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash was made with other parameters than today's."""
    return _hasher().check_needs_rehash(password_hash)


@cache
def dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return PasswordHasher(time_cost, memory_cost, parallelism=parallelism).hash("not a password")


def spend_time_like_a_check() -> None:
    """Verify against a throwaway hash, so unknown accounts answer as slowly as known ones."""
    config = current_app.config
    verify_password(
        dummy_hash(
            config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"]
        ),
        "a wrong password",
    )
