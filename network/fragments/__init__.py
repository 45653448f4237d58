"""Fragments of pages rendered once per key and reused by every viewer until the key changes.

A fragment (a post card, a comment, a post's head, a case-study card) shows
nothing of the viewer: it is rendered by a macro that sees no request
context (no current_user, no CSRF token), and kept under a key made of
everything it shows (its id, version or counters, its author's shown
fields, the locale and time zone). A change makes a new key, so nothing is
ever invalidated and no global number exists. The viewer's own parts (edit,
delete, moderate, forms) are added around the fragment on every request.
See docs/architecture.md, "Fragments".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, current_app, g, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

from network.fragments.store import COUNTS, MemoryTier, RedisTier, counts

EXTENSION = "network_fragments"
Item = TypeVar("Item")


@dataclass
class Tiers:
    memory: MemoryTier | None
    shared: RedisTier | None


def init_app(app: Flask) -> None:
    megabytes = app.config["FRAGMENT_CACHE_MB"]
    memory = MemoryTier(megabytes * 1024 * 1024) if megabytes > 0 else None
    url = app.config.get("REDIS_URL")
    shared = RedisTier(url) if memory is not None and url else None
    app.extensions[EXTENSION] = Tiers(memory, shared)
    from network.fragments import kinds  # it renders through rendered() below

    # Templates that any route may render (the post page is re-shown by the
    # comment form's refusals too) ask for their fragments themselves.
    app.jinja_env.globals.update(
        post_head_fragment=kinds.post_head,
        comment_fragments=kinds.comments,
        comment_actions=kinds.comment_actions,
        case_study_fragments=kinds.case_study_cards,
    )


def tiers() -> Tiers | None:
    return current_app.extensions.get(EXTENSION)


def scope() -> str:
    """What every fragment of this request depends on besides its own key: locale, zone, root."""
    found = g.get("fragment_scope")
    if found is None:
        found = g.fragment_scope = f"{get_locale()}|{get_timezone()}|{request.script_root}"
    return found


def rendered(
    kind: str,
    items: Sequence[Item],
    key: Callable[[Item], str],
    render: Callable[[Item], Any],
) -> list[Markup]:
    """Each item's fragment, from memory, else Redis, else `render(item)` (then kept).

    `key(item)` must cover everything `render(item)` shows (keys.py); the
    scope (locale, time zone, script root) is added here. Redis is asked
    once for all the memory misses of the call.
    """
    if not items:
        return []
    found_tiers = tiers()
    memory = found_tiers.memory if found_tiers else None
    if memory is None:
        COUNTS.add(kind, 0, len(items))
        return [Markup(render(item)) for item in items]  # noqa: S704 (autoescaped macros)
    prefix = f"{kind}:{scope()}:"
    keys = [prefix + key(item) for item in items]
    found: list[str | None] = [memory.get(each) for each in keys]
    missing = [index for index, value in enumerate(found) if value is None]
    shared = found_tiers.shared if found_tiers else None
    if missing and shared is not None:
        for index, value in zip(
            missing, shared.get_many([keys[index] for index in missing]), strict=True
        ):
            if value is not None:
                found[index] = value
                memory.put(keys[index], value)
        missing = [index for index in missing if found[index] is None]
    fresh = []
    for index in missing:
        html = str(render(items[index]))
        found[index] = html
        memory.put(keys[index], html)
        fresh.append((keys[index], html))
    if shared is not None and fresh:
        shared.put_many(fresh)
    COUNTS.add(kind, len(items) - len(missing), len(missing))
    return [Markup(value) for value in found]  # noqa: S704 (what autoescaped macros made)


__all__ = ["EXTENSION", "counts", "init_app", "rendered", "scope", "tiers"]
