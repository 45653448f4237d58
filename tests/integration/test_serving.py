"""The serving entry points: real gunicorn and `flask serve` (issue 2, items 3, 8 and 9)."""

from __future__ import annotations

import subprocess
import time

import pytest
import requests

from network.config import EXAMPLE_SECRET
from tests.support.servers import flask_command, free_port, server_env

pytestmark = pytest.mark.slow


def test_gunicorn_serves_pages_and_socketio_in_process(gunicorn_server):
    server = gunicorn_server()
    page = requests.get(server.url + "/", timeout=5)
    assert page.status_code == 200
    assert "Welcome" in page.text
    assert page.headers["Content-Security-Policy"]
    handshake = requests.get(
        server.url + "/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=5
    )
    assert handshake.status_code == 200
    assert handshake.text.startswith("0{") and '"sid"' in handshake.text
    assert requests.get(server.url + "/static/css/site.css", timeout=5).status_code == 200


def test_gunicorn_prints_a_one_time_setup_link_while_no_admin_exists(gunicorn_server):
    server = gunicorn_server()
    log = server.log()
    assert "No admin exists yet" in log
    path = next(line.strip() for line in log.splitlines() if line.strip().startswith("/setup/"))
    form = requests.get(server.url + path, timeout=5)
    assert form.status_code == 200
    assert "Set up the community" in form.text


def test_gunicorn_refuses_an_unmigrated_database(gunicorn_server):
    server = gunicorn_server(migrate=False, wait=False)
    server.process.wait(timeout=30)
    assert server.process.returncode != 0
    assert "db upgrade" in server.log()


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        ("", "no secret key is set"),
        ("short", "shorter than 32 characters"),
        (EXAMPLE_SECRET, "the example value"),
    ],
)
def test_gunicorn_refuses_to_serve_with_an_unfit_secret(gunicorn_server, secret, reason):
    server = gunicorn_server(NETWORK_SECRET_KEY=secret, migrate=False, wait=False)
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("gunicorn kept running with an unfit secret")
    assert server.process.returncode != 0
    log = server.log()
    assert "Refusing to serve:" in log
    assert reason in log
    assert "flask --app network gen-secret" in log


def test_flask_serve_refuses_an_unfit_secret_with_the_fix(tmp_path):
    env = server_env(tmp_path, NETWORK_SECRET_KEY="short")
    result = flask_command(env, "serve", "--port", str(free_port()))
    assert result.returncode == 1
    assert "Refusing to serve: the secret key is shorter than 32 characters" in result.stderr
    assert "gen-secret" in result.stderr


def test_flask_serve_prints_the_url_and_serves(tmp_path):
    env = server_env(tmp_path)
    assert flask_command(env, "db", "upgrade").returncode == 0
    port = free_port()
    from tests.support.servers import BIN, PROJECT_ROOT

    process = subprocess.Popen(
        [str(BIN / "flask"), "--app", "network", "serve", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first_line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first_line
        deadline = time.monotonic() + 20
        while True:
            try:
                response = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "flask serve never answered"
                time.sleep(0.1)
        assert response.json() == {"status": "ok"}
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_an_empty_database_upgrades_from_the_command_line(tmp_path):
    env = server_env(tmp_path)
    first = flask_command(env, "db", "upgrade")
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "network.sqlite").exists()
    again = flask_command(env, "db", "upgrade")  # idempotent on a current database
    assert again.returncode == 0, again.stderr
    check = flask_command(env, "db", "check")
    assert check.returncode == 0, check.stdout + check.stderr
