"""The benchmark's visitors: members signed in through the real sign-in form, and API tokens.

Each member signs in in-process through the app's own `POST /signin` (with its
CSRF token), on the database the served app uses and with the same secret key,
so the session cookie it gets back is one the gunicorn process accepts: a real
MemberSession row, checked on every request as a browser's would be. The
User-Agent is the one wrk sends (sessions note who signed in). Writers get
personal API tokens from the app's token service, as the settings page makes them.
"""

from __future__ import annotations

import random
import re
from http.cookies import SimpleCookie

from flask import Flask

from network.accounts import tokens
from network.extensions import db
from network.models import Member

USER_AGENT = "feed-benchmark"  # the same for sign-in and wrk
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def choose_members(members: int, count: int, staff_every: int, seed: int = 19) -> list[int]:
    """`count` distinct ordinary members (not the admin, member 1, nor staff), in a fixed order."""
    customers = [member_id for member_id in range(2, members + 1) if member_id % staff_every != 0]
    if count > len(customers):
        raise ValueError(f"only {len(customers)} ordinary members to sign in, not {count}")
    return random.Random(seed).sample(customers, count)


def cookie_header(set_cookies: list[str]) -> str:
    """The Cookie header a browser would send after these Set-Cookie answers (later ones win,
    emptied ones are gone)."""
    jar: SimpleCookie = SimpleCookie()
    for header in set_cookies:
        jar.load(header)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items() if morsel.value)


def sign_in(app: Flask, email: str, password: str) -> str:
    """Sign in through the form; returns the Cookie header that carries the new session."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = USER_AGENT
    page = client.get("/signin")
    token = _CSRF.search(page.get_data(as_text=True))
    if token is None:
        raise RuntimeError("no CSRF token on the sign-in page")
    answer = client.post(
        "/signin", data={"login": email, "password": password, "csrf_token": token.group(1)}
    )
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in of {email} answered {answer.status_code}, not 302")
    return cookie_header(page.headers.getlist("Set-Cookie") + answer.headers.getlist("Set-Cookie"))


def api_tokens(app: Flask, member_ids: list[int]) -> list[str]:
    """A new personal API token for each member (the raw value, as the settings page shows it)."""
    raw = []
    with app.app_context():
        for member_id in member_ids:
            member = db.session.get(Member, member_id)
            raw.append(tokens.create_api_token(member, "feed benchmark")[1])
        db.session.remove()
    return raw
