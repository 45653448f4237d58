"""Serving a page from the store, and keeping a freshly rendered one.

A page is kept under everything it depends on besides the database: the
endpoint and full path, the host it was asked on (absolute links use it when
NETWORK_PUBLIC_URL is unset), the member it was rendered for (their controls
and badges are in it) and the language. The database's part is the generation
(generation.py). What must differ per request is cut out before keeping and
put back on each answer: the CSRF token and the idempotency keys of forms.

A hit never loads the member: the session's facts (whose member, language,
until when) were noted when a full request loaded it in the same generation,
and ending a session, changing a member or signing in is a write that starts
a new generation. A session whose "last seen" stamp is due goes the full way,
which stamps it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from functools import wraps
from typing import Any

from flask import Response, current_app, g, make_response, request, session
from flask.globals import request_ctx
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select

from network.extensions import db, limiter
from network.i18n import choose_locale
from network.models import Post
from network.models.base import utcnow
from network.page_cache import generation
from network.page_cache.store import Page, Store, Viewer

EXTENSION = "network_page_cache"
CSRF_MARK = "\x00csrf\x00"  # the holes of a kept page (store.Page)
KEY_MARK = "\x00key\x00"
_UNKEPT_HEADERS = {"content-length", "set-cookie"}
_filter_added = False


def store() -> Store | None:
    return current_app.extensions.get(EXTENSION)


def cached(view: Callable[..., Any]) -> Callable[..., Any]:
    """Route decorator (outermost, below the route): serve and keep this page."""

    @wraps(view)
    def serve(*args: Any, **kwargs: Any) -> Any:
        kept = store()
        if kept is None or request.method != "GET" or "_flashes" in session:
            return view(*args, **kwargs)
        number = generation.current(_engine())
        if number is None:
            return view(*args, **kwargs)
        now = utcnow()
        key = _key_before_loading(kept, number, now)
        if key is not None:
            page = kept.page(number, key, now)
            if page is not None:
                return _answer(kept, page)
        g.page_cache_keys = []
        answer = make_response(view(*args, **kwargs))
        _keep(kept, number, answer, now)
        return answer

    serve.page_cache = True  # type: ignore[attr-defined]
    return serve


def per_request(value: str) -> str:
    """A value that must be new on every answer (a form's idempotency key)."""
    if "page_cache_keys" in g:
        g.page_cache_keys.append(value)
    return value


def skip() -> None:
    """Do not keep the page being rendered (it shows something no key covers)."""
    g.page_cache_skip = True


# Who is asking -----------------------------------------------------------------------------


def stamp() -> int | None:
    """The generation, read before the member is loaded, on cached pages only."""
    if store() is None or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "page_cache", False):
        return None
    return generation.current(_engine())


def note_viewer(
    number: int | None,
    token: str,
    member: Any,
    expires_at: datetime,
    last_seen_at: datetime,
    seen_every: timedelta,
) -> None:
    """Called by the session loader once it has accepted `token` (see accounts/sessions.py)."""
    kept = store()
    if number is None or kept is None:
        return
    kept.keep_viewer(
        number,
        token,
        Viewer(
            member_id=member.id,
            language=member.language,
            expires_at=expires_at,
            last_seen_at=last_seen_at,
            # The loader stamps "last seen" after this; then it must run again.
            ends_at=min(expires_at, last_seen_at + seen_every),
        ),
    )


def _key_before_loading(kept: Store, number: int, now: datetime) -> tuple[Any, ...] | None:
    """The key of this request without loading the member; None if only loading can tell."""
    token = session.get("_user_id")
    if token is None:
        if request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")):
            return None  # Flask-Login would sign them in from the cookie
        return _key(0, choose_locale(None))
    viewer = kept.viewer(number, token, now)
    if viewer is None:
        return None
    return _key(viewer.member_id, choose_locale(viewer.language))


def _key_after_rendering() -> tuple[Any, ...]:
    member_id = current_user.id if current_user.is_authenticated else 0
    return _key(member_id, str(get_locale()))


def _key(member_id: int, locale: str) -> tuple[Any, ...]:
    # No time zone: pages show times in the community's one zone (BABEL_DEFAULT_TIMEZONE).
    # The scheme and host as asked (after ProxyFix): absolute links are built from
    # them when NETWORK_PUBLIC_URL is unset, so a forged Host never reaches others.
    environ = request.environ
    return (
        request.endpoint,
        environ["wsgi.url_scheme"],
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME"),
        request.full_path,
        member_id,
        locale,
    )


# Answers -----------------------------------------------------------------------------------


def _answer(kept: Store, page: Page) -> Response:

    filled = [page.parts[0]]
    token = None
    for hole, part in zip(page.holes, page.parts[1:], strict=True):
        if hole == "csrf":
            token = token or _csrf_token(kept).encode()
            filled += (token, part)
        else:
            filled += (fresh_key().encode(), part)
    return Response(b"".join(filled), 200, headers=list(page.headers))


def _csrf_token(kept: Store) -> str:
    """generate_csrf(), whose signing is remembered per session secret.

    Flask-WTF signs the session's secret anew on each request; with no time
    limit on tokens (WTF_CSRF_TIME_LIMIT) an earlier signature is as good.
    """
    secret = session.get("csrf_token")
    if not secret or current_app.config["WTF_CSRF_TIME_LIMIT"] is not None:
        return generate_csrf()
    token = kept.signed_tokens.get(secret)
    if token is None:
        token = generate_csrf()
        kept.remember_token(secret, token)
    return token


def _keep(kept: Store, number: int, answer: Response, now: datetime) -> None:
    if not _keepable(answer):
        return
    body = answer.get_data(as_text=True)
    if "\x00" in body:
        return
    token = g.get("csrf_token")  # Flask-WTF's token of this request, if the page used one
    if token:
        body = body.replace(token, CSRF_MARK)
    for value in g.page_cache_keys:
        body = body.replace(value, KEY_MARK)
    headers = tuple(
        (name, value)
        for name, value in answer.headers.items()
        if name.lower() not in _UNKEPT_HEADERS
    )
    ends_at = min(
        now + timedelta(seconds=current_app.config["PAGE_CACHE_SECONDS"]),
        _horizon(kept, number, now),
    )
    kept.keep_page(number, _key_after_rendering(), Page.from_html(body, headers, ends_at))


def _keepable(answer: Response) -> bool:
    return (
        answer.status_code == 200
        and answer.mimetype == "text/html"
        and not answer.is_streamed
        and not answer.direct_passthrough
        and "Set-Cookie" not in answer.headers
        and not _showed_flashes()
        and not g.get("page_cache_skip")
    )


def _showed_flashes() -> bool:
    # Flask keeps the messages a page took from the session on the request.
    return bool(getattr(request_ctx, "flashes", None))


def _horizon(kept: Store, number: int, now: datetime) -> datetime:
    """When time alone next changes a page: the day's end (UTC) or the next pin's end.

    Case study consents end from a day on and pins end with a day, both in
    UTC; the query is for pins set any other way.
    """
    known = kept.horizon(number)
    if known is not None and known > now:
        return known
    day_end = datetime.combine(now.date(), time.max, tzinfo=UTC)
    pin_end = next_pin_end(now)
    horizon = min(day_end, pin_end) if pin_end else day_end
    kept.set_horizon(number, horizon)
    return horizon


def _unlimited_page_read() -> bool:
    """Flask-Limiter's request filter: a GET of a kept page skips the limiter's work.

    No limit applies to them (limits are on writes, sign-in and the API, and
    no default limit is set); resolving that took a tenth of a cached page.
    """
    if request.method != "GET":
        return False
    config = current_app.config
    if config.get("RATELIMIT_DEFAULT") or config.get("RATELIMIT_APPLICATION"):
        return False
    return getattr(current_app.view_functions.get(request.endpoint or ""), "page_cache", False)


def fresh_key() -> str:
    """A new idempotency key for a form (web.forms.new_key marks it as per answer)."""
    return secrets.token_urlsafe(16)


def next_pin_end(now: datetime) -> datetime | None:
    """When the next pinned announcement stops being pinned (kept pages end then)."""
    return db.session.execute(
        select(func.min(Post.pinned_until)).where(Post.pinned_until > now)
    ).scalar()


def _engine() -> Any:
    return db.engine


def init_app(app: Any) -> None:
    # Every process that writes moves the generation on, whether or not it
    # keeps pages itself (`flask run-jobs`, a shell, a server with the cache off).
    with app.app_context():
        generation.watch(_engine())
    global _filter_added
    if not _filter_added:  # the limiter is one object for every app a process makes
        limiter.request_filter(_unlimited_page_read)
        _filter_added = True
    megabytes = app.config["PAGE_CACHE_MB"]
    if megabytes > 0:
        app.extensions[EXTENSION] = Store(megabytes * 1024 * 1024)
