"""Texts for the benchmark's posts and comments, rendered once by the app's own sanitizer."""

from __future__ import annotations

import random

from flask import Flask
from seed_data import Texts

from network.accounts import passwords
from network.sanitize import render_markdown, render_plain

POOL = 64
_VOCABULARY = (
    "espresso grinder milk foam crema schedule profile boiler descale shot pressure water "
    "filter temperature roast beans morning office café update firmware app timer dose "
    "ratio flavour sweet bitter sour balanced clean steam wand jug latte flat white"
)
_WORDS = _VOCABULARY.split()


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))


def _post(rng: random.Random) -> tuple[str | None, str]:
    parts = [_paragraph(rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        parts.append("\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 4))))
    if rng.random() < 0.3:
        parts.append(f"More in [the guide](https://example.com/guide/{rng.randint(1, 99)}).")
    title = _sentence(rng)[:80].rstrip(".") if rng.random() < 0.7 else None
    return title, "\n\n".join(parts)


def make_texts(app: Flask, password: str, seed: int = 8) -> Texts:
    """The shared password's hash and pools of post and comment texts with their HTML."""
    rng = random.Random(seed)
    with app.app_context():
        posts = []
        for _ in range(POOL):
            title, body = _post(rng)
            posts.append((title, body, render_markdown(body)))
        comments = []
        for _ in range(POOL):
            body = " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
            comments.append((body, render_plain(body)))
        return Texts(
            password_hash=passwords.hash_password(password), posts=posts, comments=comments
        )
