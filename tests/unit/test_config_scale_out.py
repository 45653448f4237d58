"""Settings for several processes: one Socket.IO channel per deployment, the registry's store."""

from __future__ import annotations

from network.extensions import socketio
from network.realtime import connections
from network.realtime.registry import RedisRegistry
from tests.unit.test_config import make_app

REDIS = "redis://127.0.0.1:6379/0"  # never reached: nothing here connects


def test_each_deployment_gets_its_own_channel_by_default(tmp_path, clean_env):
    one = make_app(tmp_path / "i", SQLALCHEMY_DATABASE_URI="postgresql://db/one")
    same = make_app(tmp_path / "j", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://db/one")
    other = make_app(tmp_path / "k", SQLALCHEMY_DATABASE_URI="postgresql://db/two")

    channel = one.config["SOCKETIO_CHANNEL"]
    assert channel.startswith("network-")
    assert same.config["SOCKETIO_CHANNEL"] == channel  # the processes of one deployment
    assert other.config["SOCKETIO_CHANNEL"] != channel
    assert "db" not in channel and "one" not in channel  # a hash, not the URL


def test_the_operator_may_name_the_channel(tmp_path, clean_env):
    clean_env.setenv("NETWORK_SOCKETIO_CHANNEL", "community-eu")
    clean_env.setenv("NETWORK_REALTIME_TTL", "12")
    app = make_app(tmp_path / "i")
    assert app.config["SOCKETIO_CHANNEL"] == "community-eu"
    assert app.config["REALTIME_TTL"] == 12


def test_with_redis_the_queue_and_the_registry_use_the_channel(tmp_path, clean_env):
    clean_env.setenv("NETWORK_SOCKETIO_CHANNEL", "community-eu")
    make_app(tmp_path / "i", REDIS_URL=REDIS)
    try:
        assert socketio.server.manager.channel == "community-eu"
        store = connections.store()
        assert isinstance(store, RedisRegistry)
        assert store._key("member", 5) == "community-eu:sockets:member:5"
    finally:
        make_app(tmp_path / "j", SQLALCHEMY_DATABASE_URI="sqlite://")
    # Without Redis, the registry is this process's again.
    assert isinstance(connections.store(), connections.InProcess)
