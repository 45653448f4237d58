"""Calling the JSON API in tests: `api(member)` is a client that sends that member's token.

def test_story(api, customer):
    carla = api(customer)
    assert carla.get("/api/v1/me").json["handle"] == "carla"
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from network.accounts import tokens
from network.extensions import db
from network.models import Member


def token_for(app: Flask, member: Member, name: str = "tests") -> str:
    """A fresh personal API token for the member (the raw value, as shown once)."""
    with app.app_context():
        _token, raw = tokens.create_api_token(db.session.get(Member, member.id), name)
        return raw


class ApiClient:
    """A test client whose every request carries `Authorization: Bearer <token>` (if any)."""

    def __init__(self, client: FlaskClient, token: str | None) -> None:
        self.client = client
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        sent = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**sent, **(headers or {})}

    def get(self, path: str, headers: dict[str, str] | None = None, **kw: Any):
        return self.client.get(path, headers=self._headers(headers), **kw)

    def post(self, path: str, headers: dict[str, str] | None = None, **kw: Any):
        return self.client.post(path, headers=self._headers(headers), **kw)

    def patch(self, path: str, headers: dict[str, str] | None = None, **kw: Any):
        return self.client.patch(path, headers=self._headers(headers), **kw)

    def delete(self, path: str, headers: dict[str, str] | None = None, **kw: Any):
        return self.client.delete(path, headers=self._headers(headers), **kw)


@pytest.fixture(name="api")
def api_fixture(app: Flask):
    """`api(member)` -> an API client with a new token of that member; `api()` -> anonymous."""

    def open_client(member: Member | None = None) -> ApiClient:
        token = token_for(app, member) if member is not None else None
        return ApiClient(app.test_client(), token)

    return open_client
