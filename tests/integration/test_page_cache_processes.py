"""Kept pages across real gunicorn processes on one database (network/page_cache, issue 8).

Each gunicorn process keeps its own pages; the generation in the database is
what tells one process that another has written.
"""

from __future__ import annotations

import pytest
import requests

from tests.support.browser import PASSWORD, create_member
from tests.support.servers import flask_command, signed_in

pytestmark = pytest.mark.slow


def api_token(server, handle: str) -> str:
    made = flask_command(server.env, "create-token", f"{handle}@example.com", "--name", "test")
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def test_a_comment_written_through_one_process_shows_on_a_page_kept_by_another(
    gunicorn_server, tmp_path
):
    shared = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    reader_side = gunicorn_server(NETWORK_DATABASE_URL=shared)
    writer_side = gunicorn_server(NETWORK_DATABASE_URL=shared)
    create_member(writer_side, tmp_path, "author", "Author")
    create_member(writer_side, tmp_path, "reader", "Reader")
    api = {"Authorization": f"Bearer {api_token(writer_side, 'author')}"}
    made = requests.post(
        writer_side.url + "/api/v1/posts",
        json={"title": "Kept twice", "body": "Over two processes", "visibility": "members"},
        headers=api,
        timeout=10,
    )
    assert made.status_code == 201, made.text
    path = f"/posts/{made.json()['id']}"

    browser = signed_in(reader_side, "reader", PASSWORD)
    for _ in range(3):  # rendered, then served from the reader side's store
        page = browser.get(reader_side.url + path, timeout=10)
        assert page.status_code == 200 and "Over two processes" in page.text
        assert "Written on the other side" not in page.text

    said = requests.post(
        writer_side.url + f"/api/v1{path}/comments",
        json={"body": "Written on the other side"},
        headers=api,
        timeout=10,
    )
    assert said.status_code == 201, said.text
    assert "Written on the other side" in browser.get(reader_side.url + path, timeout=10).text

    # And a change made by an operator's command, in a third process.
    renamed = flask_command(writer_side.env, "set-community", "--name", "Renamed Overnight")
    assert renamed.returncode == 0, renamed.stderr
    assert "Renamed Overnight" in browser.get(reader_side.url + path, timeout=10).text
