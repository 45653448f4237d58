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
    # gunicorn reads the shipped gunicorn.conf.py, which gives the link its address.
    link = next(line.strip() for line in log.splitlines() if "/setup/" in line)
    assert link.startswith(server.url + "/setup/")
    form = requests.get(link, timeout=5)
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


def test_the_shipped_gunicorn_conf_serves_sized_and_says_where(tmp_path):
    """`make run` is `gunicorn -c gunicorn.conf.py` with NETWORK_BIND (issue 18, item 2)."""
    from tests.support.servers import BIN, PROJECT_ROOT, Server, _wait_until_up

    env = server_env(tmp_path, NETWORK_EXPECTED_SOCKETS="5")
    assert flask_command(env, "db", "upgrade").returncode == 0
    port = free_port()
    env["NETWORK_BIND"] = f"127.0.0.1:{port}"
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path, env=env)
    try:
        _wait_until_up(server)
        log = server.log()
        assert f"Serving the community at http://127.0.0.1:{port}/" in log
        assert "threads=37 " in log and "worker_class=gthread" in log and "workers=1" in log
        # The first-admin link is printed whole, ready to open.
        link = next(line.strip() for line in log.splitlines() if "/setup/" in line)
        assert link.startswith(f"http://127.0.0.1:{port}/setup/")
        assert requests.get(link, timeout=5).status_code == 200
        assert "Werkzeug" not in log and "development server" not in log
    finally:
        server.stop()


def test_gunicorn_is_sized_from_the_async_mode_and_the_expected_sockets(tmp_path):
    from network.assembly.serving import HTTP_HEADROOM, gunicorn_sizes

    env = {"NETWORK_INSTANCE_PATH": str(tmp_path), "NETWORK_EXPECTED_SOCKETS": "500"}
    threaded = gunicorn_sizes(env)
    assert threaded["worker_class"] == "gthread" and threaded["workers"] == 1
    assert threaded["threads"] == 500 + HTTP_HEADROOM
    assert threaded["worker_connections"] > threaded["threads"]
    evented = gunicorn_sizes({**env, "NETWORK_ASYNC_MODE": "gevent"})
    assert evented["worker_class"] == "gevent" and evented["worker_connections"] > 500
    # The instance file counts too, as it does for create_app().
    (tmp_path / "config.py").write_text("EXPECTED_SOCKETS = 10\n")
    assert gunicorn_sizes({"NETWORK_INSTANCE_PATH": str(tmp_path)})["threads"] == 42


def test_readyz_says_ready_on_a_migrated_database(gunicorn_server):
    """Issue 18, item 5: the database answers with the schema this code ships."""
    server = gunicorn_server()
    answer = requests.get(server.url + "/readyz", timeout=5)
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok" and body["revision"] == body["head"]
    assert body["checks"] == {"database": "ok", "migrations": "current", "redis": "not configured"}


def test_readyz_is_unavailable_when_the_schema_is_behind(app, client):
    """The test database is made by create_all, with no migration recorded."""
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json["checks"]["migrations"] == "missing"
    assert answer.json["status"] == "unavailable"


def test_readyz_reads_redis_when_configured(app):
    import os

    from network.operations import readiness

    with app.app_context():
        assert readiness.redis(None) == "not configured"
        # Nothing listens on port 1: unavailable, and quickly.
        started = time.monotonic()
        assert readiness.redis("redis://127.0.0.1:1/0") == "unavailable"
        assert time.monotonic() - started < 5
        url = os.environ.get("NETWORK_TEST_REDIS_URL")
        if url:
            assert readiness.redis(url) == "ok"


def test_readyz_is_degraded_not_down_when_only_redis_is_gone(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    from network.operations import readiness

    with app.app_context():
        readiness._head.cache_clear()
    answer = client.get("/readyz")
    assert answer.json["checks"]["redis"] == "unavailable"
