"""The floor: a bare Flask app that renders pages as big as the real ones, with no database.

It runs under the same gunicorn settings as the app, so the difference
between the two is what the app itself costs (queries, sessions, its
templates), not what Flask, Jinja, gunicorn and the two shared cores cost.

BENCH_FLOOR_PAGES names a folder of real pages saved by bench_feed.py
(feed.html, front.html, post.html); GET /<name> renders a Jinja template with
a loop over twenty cards, sized so the answer has as many bytes as that page.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, abort, render_template
from jinja2 import DictLoader

CARDS = 20
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/css/site.css"></head>
<body><main>
{% for card in cards %}
<article class="card post-card">
  <header class="card-header"><a href="/u/{{ card.handle }}">{{ card.author }}</a>
  <time datetime="{{ card.when }}">{{ card.when }}</time></header>
  <h2 class="card-title"><a href="/posts/{{ card.id }}">{{ card.title }}</a></h2>
  <div class="prose"><p>{{ card.body }}</p></div>
</article>
{% endfor %}
</main></body></html>
"""
_WORDS = ("espresso", "grinder", "milk", "foam", "crema", "profile", "boiler", "shot")


def _cards(body_length: int, extra: int = 0) -> list[dict[str, object]]:
    text = " ".join(_WORDS * (body_length // 40 + 2))
    cards = []
    for number in range(CARDS):
        length = body_length + (extra if number == CARDS - 1 else 0)
        cards.append(
            {
                "id": number + 1,
                "handle": f"member{number + 1}",
                "author": f"Member {number + 1}",
                "when": "2026-11-26T10:00:00Z",
                "title": f"Post number {number + 1}",
                "body": text[:length],
            }
        )
    return cards


def sized_cards(app: Flask, target: int) -> list[dict[str, object]]:
    """Cards whose rendered page has `target` bytes (as near as the frame allows)."""
    with app.app_context():
        frame = len(render_template("page.html", title="Floor", cards=_cards(0)).encode())
    per_card, rest = divmod(max(target - frame, 0), CARDS)
    return _cards(per_card, rest)


def create_app() -> Flask:
    app = Flask(__name__)
    # A loaded template is compiled once and cached, as the app's templates are.
    app.jinja_env.loader = DictLoader({"page.html": PAGE})
    folder = Path(os.environ.get("BENCH_FLOOR_PAGES", "."))
    pages = {path.stem: sized_cards(app, len(path.read_bytes())) for path in folder.glob("*.html")}

    @app.get("/healthz")
    def health() -> str:
        return "ok"

    @app.get("/<name>")
    def page(name: str) -> str:
        if name not in pages:
            abort(404)
        return render_template("page.html", title=name, cards=pages[name])

    return app


app = create_app()
